package c2pa_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"provgraph/c2pa"
	"provgraph/c2pa/asset"
	"provgraph/internal/testenv"
)

// TestSignStrippedMP3 signs MP3s that carry no store (the fixtures with
// their GEOB frame removed: no unsigned MP3 sample exists) with every test
// key: a fresh ID3 GEOB frame that we and the oracle find Trusted, in a
// v2.4 tag (ms-cicadas) and a v2.3 tag (google).
func TestSignStrippedMP3(t *testing.T) {
	anchors := testenv.Fixture(t, "certs/c2pa-rs/trust/test_cert_root_bundle.pem")
	ab, err := os.ReadFile(anchors)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	h, _ := asset.Lookup("audio/mpeg")
	var inputs []string
	for _, rel := range []string{"mp3/ms-cicadas_trusted.mp3", "mp3/google-mp3_valid.mp3"} {
		data, err := os.ReadFile(testenv.Fixture(t, filepath.Join("c2pa", rel)))
		if err != nil {
			t.Fatal(err)
		}
		p, err := h.Plan(bytes.NewReader(data), int64(len(data)), 0)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if _, err := p.WriteTo(&out, bytes.NewReader(data), nil); err != nil {
			t.Fatal(err)
		}
		if _, err := h.ReadStore(bytes.NewReader(out.Bytes()), int64(out.Len())); err == nil {
			t.Fatalf("%s: store left after stripping", rel)
		}
		in := filepath.Join(dir, "stripped-"+filepath.Base(rel))
		if err := os.WriteFile(in, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, in)
	}
	var outputs []string
	for _, alg := range testAlgs {
		s := loadTestSigner(t, alg)
		for _, in := range inputs {
			out := filepath.Join(dir, alg+"-"+filepath.Base(in))
			signFile(t, in, out, "audio/mpeg", s, &c2pa.ManifestDefinition{Title: filepath.Base(in)})
			if rep := readFile(t, out, "audio/mpeg", ab); rep.ValidationState != c2pa.StateTrusted || len(rep.FailureCodes()) != 0 {
				t.Errorf("%s: state %s, failures %v", filepath.Base(out), rep.ValidationState, rep.FailureCodes())
			}
			outputs = append(outputs, out)
		}
	}
	res, _ := testenv.OracleVerify(t, append(outputs, "--trust", anchors)...)
	for _, out := range outputs {
		v, _ := res[out].(map[string]any)
		if v == nil || v["validation_state"] != "Trusted" || len(oracleFailures(v)) != 0 {
			t.Errorf("oracle %s: %v", filepath.Base(out), v)
		}
	}
}
