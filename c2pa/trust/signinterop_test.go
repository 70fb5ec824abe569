package trust_test

import (
	"bytes"
	"context"
	"encoding/pem"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"provgraph/c2pa"
	_ "provgraph/c2pa/asset/all"
	"provgraph/c2pa/cose"
	"provgraph/c2pa/cose/cosetest"
	"provgraph/c2pa/devsigner"
	"provgraph/c2pa/trust"
	"provgraph/internal/testenv"
)

// TestOracleDevSignerTimeStamped signs a JPEG with the development signer
// and an RFC 3161 time-stamp (sigTst2 over the signature) from a local TSA,
// then checks that c2pa-rs accepts the credential, the time-stamp and the
// signature, with the dev root and the TSA root as anchors, and that
// VerifyClaimSignature gives the very same entries.
func TestOracleDevSignerTimeStamped(t *testing.T) {
	testenv.Oracle(t)
	tmp := t.TempDir()
	ds, err := devsigner.Dev(tmp)
	if err != nil {
		t.Fatal(err)
	}
	tsa, err := cosetest.NewTSA(time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(tsa)
	defer srv.Close()

	in := testenv.Fixture(t, "c2pa/jpeg/pt-adobe-20220124-A.jpg")
	data, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(tmp, "signed.jpg")
	var buf bytes.Buffer
	signer := &c2pa.Signer{Key: ds.Key, Chain: ds.Chain, Algorithm: ds.Algorithm,
		TimeStamper: &cose.TSAClient{URL: srv.URL, HTTPClient: srv.Client()}}
	if err := c2pa.Sign(context.Background(), bytes.NewReader(data), int64(len(data)), "image/jpeg", &buf,
		&c2pa.ManifestDefinition{Title: "A.jpg"}, signer); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	rootPEM, err := os.ReadFile(ds.RootPath)
	if err != nil {
		t.Fatal(err)
	}
	anchors := append(rootPEM, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tsa.Root.Raw})...)
	anchorFile := filepath.Join(tmp, "anchors.pem")
	if err := os.WriteFile(anchorFile, anchors, 0o644); err != nil {
		t.Fatal(err)
	}
	res, _ := testenv.OracleVerify(t, out, "--trust", anchorFile, "--compact")
	if res["validation_state"] != "Trusted" {
		t.Errorf("oracle state %v: %v", res["validation_state"], res["validation_results"])
	}
	var want []string
	vr, _ := res["validation_results"].(map[string]any)
	active, _ := vr["activeManifest"].(map[string]any)
	for _, kind := range []string{"success", "informational", "failure"} {
		list, _ := active[kind].([]any)
		for _, x := range list {
			s, _ := x.(map[string]any)
			if code, _ := s["code"].(string); isSignatureStatus(code) {
				want = append(want, fmt.Sprintf("%s %s: %v", kind, code, s["explanation"]))
			}
		}
	}
	store, err := trust.New(trust.Config{NoOfficialLists: true, Anchors: anchors})
	if err != nil {
		t.Fatal(err)
	}
	ms, err := cosetest.Manifests(out)
	if err != nil {
		t.Fatal(err)
	}
	m := ms[len(ms)-1]
	r := store.VerifyClaimSignature(m.Signature, m.Claim, trust.VerifyOptions{ClaimVersion: claimVersion(m.Claim)})
	var got []string
	for _, kind := range []string{"success", "informational", "failure"} {
		for _, e := range r.Entries {
			if e.Kind.String() == kind {
				got = append(got, fmt.Sprintf("%s %s: %s", kind, e.Code, e.Explanation))
			}
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("entries differ\n got: %q\nwant: %q", got, want)
	}
	if !slices.Contains(want, "success timeStamp.trusted: timestamp cert trusted: provgraph test TSA, trust list: system_anchors") {
		t.Errorf("oracle did not trust the sigTst2 time-stamp: %q", want)
	}
}
