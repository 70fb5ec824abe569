package main

import (
	"bytes"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"provgraph/c2pa/cose/cosetest"
	"provgraph/internal/testenv"
)

// runC2PA runs "provgraph c2pa ..." in process and returns its exit code
// and standard output.
func runC2PA(t *testing.T, args ...string) (int, []byte) {
	t.Helper()
	root := newRootCmd()
	var stdout, stderr bytes.Buffer
	root.SetArgs(append([]string{"c2pa"}, args...))
	root.SetOut(&stdout)
	root.SetErr(&stderr)
	err := root.Execute()
	var ee exitError
	switch {
	case errors.As(err, &ee):
		return ee.code, stdout.Bytes()
	case err != nil:
		t.Logf("error: %v", err)
		return 1, stdout.Bytes()
	}
	return 0, stdout.Bytes()
}

func TestC2PACommand(t *testing.T) {
	fx := func(rel string) string { return testenv.Fixture(t, rel) }
	dir := t.TempDir()
	signed := filepath.Join(dir, "signed.jpg")
	signedMP4 := filepath.Join(dir, "signed.mp4")
	devSigned := filepath.Join(dir, "dev.png")
	sidecar := filepath.Join(dir, "side.c2pa")
	def := filepath.Join(dir, "def.json")
	if err := os.WriteFile(def, []byte(`{"claim_generator_info":[{"name":"cli-test","version":"1"}],"title":"T",
		"assertions":[{"label":"stds.schema-org.CreativeWork","data":{"@context":"http://schema.org/","@type":"CreativeWork"},"kind":"Json"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	rsTrust := fx("certs/c2pa-rs/trust/test_cert_root_bundle.pem")
	tsa, err := cosetest.NewTSA(time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(tsa)
	defer srv.Close()
	bundle, err := os.ReadFile(rsTrust)
	if err != nil {
		t.Fatal(err)
	}
	withTSA := filepath.Join(dir, "anchors.pem")
	bundle = append(bundle, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tsa.Root.Raw})...)
	if err := os.WriteFile(withTSA, bundle, 0o644); err != nil {
		t.Fatal(err)
	}
	stamped := filepath.Join(dir, "stamped.png")
	data := filepath.Join(dir, "data")

	steps := []struct {
		name  string
		args  []string
		code  int
		state string // validation_state of the JSON output, "" for none
		err   string // the {"error"} value
	}{
		{"read signed fixture", []string{"read", fx("c2pa/jpeg/rs-CA.jpg")}, 0, "Valid", ""},
		{"verify with anchors", []string{"verify", fx("c2pa/jpeg/rs-CA.jpg"), "--trust", fx("certs/anchors-all.pem")}, 0, "Trusted", ""},
		{"official lists trust a Pixel capture", []string{"verify", fx("c2pa/jpeg/lr-PXL_20260208_202351558.jpg"), "--official-lists"}, 0, "Trusted", ""},
		{"verify tampered", []string{"verify", fx("c2pa/jpeg/rs-XCA.jpg")}, 0, "Invalid", ""},
		{"no manifest", []string{"verify", fx("c2pa/jpeg/rs-no_manifest.jpg")}, 1, "", "C2pa(JumbfNotFound)"},
		{"remote manifest", []string{"verify", fx("c2pa/png/rs-libpng-test_with_url.png")}, 1, "", `C2pa(RemoteManifestUrl("http://localhost:5000/libpng-test.c2pa"))`},
		{"sign with key", []string{"sign", fx("c2pa/jpeg/rs-CA.jpg"), signed, "--cert", fx("certs/c2pa-rs/es384.pub"), "--key", fx("certs/c2pa-rs/es384.pem"), "--manifest", def}, 0, "", ""},
		{"verify signed", []string{"verify", signed, "--trust", rsTrust}, 0, "Trusted", ""},
		{"sign with a time-stamp", []string{"sign", fx("c2pa/png/rs-libpng-test.png"), stamped, "--cert", fx("certs/c2pa-rs/ed25519.pub"), "--key", fx("certs/c2pa-rs/ed25519.pem"), "--tsa", srv.URL}, 0, "", ""},
		{"verify the time-stamp", []string{"verify", stamped, "--trust", withTSA}, 0, "Trusted", ""},
		{"sign with the development signer", []string{"sign", fx("c2pa/png/rs-libpng-test.png"), devSigned, "--data", data}, 0, "", ""},
		{"verify under the development root", []string{"verify", devSigned, "--trust", filepath.Join(data, "signer", "root.pem")}, 0, "Trusted", ""},
		{"sidecar", []string{"sign", fx("c2pa/webp/rs-sample1.webp"), sidecar, "--sidecar", "--data", data}, 0, "", ""},
		{"verify sidecar", []string{"verify", fx("c2pa/webp/rs-sample1.webp"), "--sidecar", sidecar, "--trust", filepath.Join(data, "signer", "root.pem")}, 0, "Trusted", ""},
		{"sidecar on another asset", []string{"verify", fx("c2pa/webp/rs-test.webp"), "--sidecar", sidecar}, 0, "Invalid", ""},
		{"verify a media segment with its init segment", []string{"verify", fx("c2pa/mp4/rs-dashinit.mp4"), "--fragment", fx("c2pa/mp4/rs-dash1.m4s")}, 0, "Valid", ""},
		{"init segment alone", []string{"verify", fx("c2pa/mp4/rs-dashinit.mp4")}, 0, "Invalid", ""},
		{"sign an MP4", []string{"sign", fx("c2pa/mp4/rs-video1_no_manifest.mp4"), signedMP4, "--cert", fx("certs/c2pa-rs/ps256.pub"), "--key", fx("certs/c2pa-rs/ps256.pem")}, 0, "", ""},
		{"verify the MP4", []string{"verify", signedMP4, "--trust", rsTrust}, 0, "Trusted", ""},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			code, out := runC2PA(t, st.args...)
			if code != st.code {
				t.Fatalf("exit %d, want %d\n%s", code, st.code, out)
			}
			if st.state == "" && st.err == "" {
				return
			}
			if st.name == "verify the time-stamp" && !bytes.Contains(out, []byte(`"timeStamp.trusted"`)) {
				t.Errorf("no timeStamp.trusted in %s", out)
			}
			var v map[string]any
			if err := json.Unmarshal(out, &v); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, out)
			}
			if st.err != "" && v["error"] != st.err {
				t.Errorf("error %v, want %s", v["error"], st.err)
			}
			if st.state != "" && v["validation_state"] != st.state {
				t.Errorf("validation_state %v, want %s (status %v)", v["validation_state"], st.state, v["validation_status"])
			}
		})
	}
}
