package c2pa_test

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"provgraph/c2pa"
	"provgraph/c2pa/asset/assettest"
	"provgraph/internal/testenv"
)

// manifestFields and ingredientFields are the report fields compared with
// the oracle.
var (
	manifestFields   = []string{"claim_generator", "claim_generator_info", "title", "format", "instance_id", "thumbnail", "ingredients", "assertions", "signature_info", "label", "claim_version"}
	ingredientFields = []string{"title", "format", "document_id", "instance_id", "thumbnail", "relationship", "active_manifest", "manifest_data", "label", "description", "metadata", "data_types"}
)

// TestReportMatchesOracle compares our report with c2pa-rs's Reader JSON
// field by field on every JPEG, PNG and WebP fixture that has a store, and
// every status (kind, code, url) of validation_results, under the shared
// anchors.
// cawg.identity data is the decoded identity (signer payload and signer, or
// the aggregation credential), as c2pa-rs reports it.
func TestReportMatchesOracle(t *testing.T) {
	var files []string
	for _, row := range assettest.Fixtures(t) {
		if row.OracleState != "error" && (row.MediaType == "image/jpeg" || row.MediaType == "image/png" || row.MediaType == "image/webp") {
			files = append(files, testenv.Fixture(t, "c2pa/"+row.File))
		}
	}
	anchors := testenv.Fixture(t, "certs/anchors-all.pem")
	oracle, _ := testenv.OracleVerify(t, append(files, "--trust", anchors, "--no-remote")...)
	for _, path := range files {
		rel := path[strings.Index(path, "/c2pa/")+len("/c2pa/"):]
		t.Run(rel, func(t *testing.T) {
			o, _ := oracle[path].(map[string]any)
			if o == nil {
				t.Fatalf("no oracle result")
			}
			anchorPEM, err := os.ReadFile(anchors)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := readFixture(t, rel, "", c2pa.ReadOptions{TrustAnchors: anchorPEM})
			if err != nil {
				t.Fatal(err)
			}
			b, err := rep.JSON()
			if err != nil {
				t.Fatal(err)
			}
			var ours map[string]any
			if err := json.Unmarshal(b, &ours); err != nil {
				t.Fatal(err)
			}
			for _, d := range diffReports(o, ours) {
				t.Error(d)
			}
		})
	}
}

// statusSet flattens validation_results into "where kind code url" strings.
func statusSet(v map[string]any) map[string]bool {
	out := map[string]bool{}
	vr, _ := v["validation_results"].(map[string]any)
	add := func(where string, sc any) {
		m, _ := sc.(map[string]any)
		for _, kind := range []string{"success", "informational", "failure"} {
			list, _ := m[kind].([]any)
			for _, e := range list {
				em, _ := e.(map[string]any)
				out[fmt.Sprintf("%s %s %v %v", where, kind, em["code"], em["url"])] = true
			}
		}
	}
	add("active", vr["activeManifest"])
	deltas, _ := vr["ingredientDeltas"].([]any)
	for _, d := range deltas {
		dm, _ := d.(map[string]any)
		add(fmt.Sprint(dm["ingredientAssertionURI"]), dm["validationDeltas"])
	}
	return out
}

func diffReports(o, ours map[string]any) []string {
	var diffs []string
	os, us := statusSet(o), statusSet(ours)
	for k := range os {
		if !us[k] {
			diffs = append(diffs, "status only in oracle: "+k)
		}
	}
	for k := range us {
		if !os[k] {
			diffs = append(diffs, "status only here: "+k)
		}
	}
	if o["validation_state"] != ours["validation_state"] {
		diffs = append(diffs, fmt.Sprintf("validation_state %v, oracle %v", ours["validation_state"], o["validation_state"]))
	}
	if o["active_manifest"] != ours["active_manifest"] {
		diffs = append(diffs, fmt.Sprintf("active_manifest %v, oracle %v", ours["active_manifest"], o["active_manifest"]))
	}
	om, _ := o["manifests"].(map[string]any)
	um, _ := ours["manifests"].(map[string]any)
	if len(om) != len(um) {
		diffs = append(diffs, fmt.Sprintf("%d manifests, oracle %d", len(um), len(om)))
	}
	for label, ov := range om {
		a, _ := ov.(map[string]any)
		b, _ := um[label].(map[string]any)
		if b == nil {
			diffs = append(diffs, "missing manifest "+label)
			continue
		}
		for _, f := range manifestFields {
			switch f {
			case "ingredients":
				ai, _ := a[f].([]any)
				bi, _ := b[f].([]any)
				if len(ai) != len(bi) {
					diffs = append(diffs, fmt.Sprintf("%s: %d ingredients, oracle %d", label, len(bi), len(ai)))
					continue
				}
				for i := range ai {
					x, _ := ai[i].(map[string]any)
					y, _ := bi[i].(map[string]any)
					for _, g := range ingredientFields {
						if !reflect.DeepEqual(x[g], y[g]) {
							diffs = append(diffs, fmt.Sprintf("%s: ingredient %d %s = %v, oracle %v", label, i, g, y[g], x[g]))
						}
					}
				}
			case "assertions":
				aa, _ := a[f].([]any)
				ba, _ := b[f].([]any)
				if len(aa) != len(ba) {
					diffs = append(diffs, fmt.Sprintf("%s: %d assertions, oracle %d", label, len(ba), len(aa)))
					continue
				}
				for i := range aa {
					x, _ := aa[i].(map[string]any)
					y, _ := ba[i].(map[string]any)
					if !reflect.DeepEqual(x, y) {
						diffs = append(diffs, fmt.Sprintf("%s: assertion %d %v differs from oracle", label, i, x["label"]))
					}
				}
			default:
				if !reflect.DeepEqual(a[f], b[f]) {
					diffs = append(diffs, fmt.Sprintf("%s: %s = %v, oracle %v", label, f, b[f], a[f]))
				}
			}
		}
	}
	return diffs
}
