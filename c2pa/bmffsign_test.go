package c2pa_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"provgraph/c2pa"
	"provgraph/internal/testenv"
)

// bmffSignCases are the BMFF inputs of TestSignVerifyBMFF; resign marks
// assets that already carry a manifest (kept as the parentOf ingredient).
var bmffSignCases = []signCase{
	{"mp4/rs-video1_no_manifest.mp4", "video/mp4", false},
	{"heif/rs-sample1.heif", "image/heif", false},
	{"m4a/rs-sample1.m4a", "audio/mp4", false},
	{"mov/rs-c.mov", "video/quicktime", false},
	{"mp4/rs-video1.mp4", "video/mp4", true},
	{"heic/ts-trustnxt-icon-signed-c2patool.heic", "image/heic", true},
}

// TestSignVerifyBMFF signs BMFF assets (c2pa.hash.bmff.v3 with c2pa-rs's
// default exclusions) with every c2pa-rs test key: our validator and the
// oracle report Trusted without failures and the same statuses, a signed
// asset re-signed keeps its manifest as parentOf, and one flipped mdat
// byte is assertion.bmffHash.mismatch in both.
func TestSignVerifyBMFF(t *testing.T) {
	anchorsPath := testenv.Fixture(t, "certs/c2pa-rs/trust/test_cert_root_bundle.pem")
	anchors, err := os.ReadFile(anchorsPath)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var outputs []string
	for _, alg := range testAlgs {
		s := loadTestSigner(t, alg)
		for _, sc := range bmffSignCases {
			name := alg + "-" + filepath.Base(sc.in)
			out := filepath.Join(dir, name)
			t.Run(name, func(t *testing.T) {
				in := testenv.Fixture(t, filepath.Join("c2pa", sc.in))
				signFile(t, in, out, sc.mediaType, s, &c2pa.ManifestDefinition{Title: filepath.Base(sc.in)})
				rep := readFile(t, out, sc.mediaType, anchors)
				if rep.ValidationState != c2pa.StateTrusted || len(rep.FailureCodes()) != 0 {
					t.Errorf("state %s, failures %v", rep.ValidationState, rep.FailureCodes())
				}
				if !hasCode(rep, "assertion.bmffHash.match") {
					t.Error("no assertion.bmffHash.match")
				}
				if sc.resign {
					checkParent(t, rep, readFile(t, in, sc.mediaType, nil))
				}
				flipped := filepath.Join(dir, "flipped-"+name)
				flipMdatByte(t, out, flipped)
				if fr := readFile(t, flipped, sc.mediaType, anchors); !slices.Contains(fr.FailureCodes(), "assertion.bmffHash.mismatch") {
					t.Errorf("flipped byte: failures %v, want assertion.bmffHash.mismatch", fr.FailureCodes())
				}
				outputs = append(outputs, out, flipped)
			})
		}
	}
	if len(outputs) == 0 {
		return
	}
	res, _ := testenv.OracleVerify(t, append(outputs, "--trust", anchorsPath)...)
	for _, out := range outputs {
		v, _ := res[out].(map[string]any)
		if v == nil {
			t.Errorf("oracle: no result for %s", out)
			continue
		}
		fails := oracleFailures(v)
		if filepath.Base(out)[:8] == "flipped-" {
			if !slices.Contains(fails, "assertion.bmffHash.mismatch") {
				t.Errorf("oracle %s: failures %v, want assertion.bmffHash.mismatch", filepath.Base(out), fails)
			}
			continue
		}
		if v["validation_state"] != "Trusted" || len(fails) != 0 {
			t.Errorf("oracle %s: state %v failures %v (error %v)", filepath.Base(out), v["validation_state"], fails, v["error"])
		}
		b, err := readFile(t, out, "", anchors).JSON()
		if err != nil {
			t.Fatal(err)
		}
		var ours map[string]any
		if err := json.Unmarshal(b, &ours); err != nil {
			t.Fatal(err)
		}
		theirs, us := statusSet(v), statusSet(ours)
		for k := range theirs {
			if !us[k] {
				t.Errorf("%s: status only in oracle: %s", filepath.Base(out), k)
			}
		}
		for k := range us {
			if !theirs[k] {
				t.Errorf("%s: status only here: %s", filepath.Base(out), k)
			}
		}
	}
}

// flipMdatByte copies src to dst with one byte flipped in the middle of the
// last mdat box.
func flipMdatByte(t *testing.T, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.LastIndex(data, []byte("mdat"))
	if i < 4 {
		t.Fatalf("%s: no mdat", src)
	}
	data[i+4+(len(data)-i-4)/2] ^= 0x01
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
