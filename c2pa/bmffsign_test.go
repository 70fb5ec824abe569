package c2pa_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"provgraph/c2pa"
	"provgraph/c2pa/asset/assettest"
	"provgraph/c2pa/bmff"
	"provgraph/internal/testenv"
)

// bmffSignCases are the BMFF inputs of TestSignVerifyBMFF; resign marks
// assets that already carry a manifest (kept as the parentOf ingredient).
var bmffSignCases = []signCase{
	{in: "mp4/rs-video1_no_manifest.mp4", mediaType: "video/mp4", resign: false},
	{in: "heif/rs-sample1.heif", mediaType: "image/heif", resign: false},
	{in: "m4a/rs-sample1.m4a", mediaType: "audio/mp4", resign: false},
	{in: "mov/rs-c.mov", mediaType: "video/quicktime", resign: false},
	{in: "mp4/rs-video1.mp4", mediaType: "video/mp4", resign: true},
	{in: "heic/ts-trustnxt-icon-signed-c2patool.heic", mediaType: "image/heic", resign: true},
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
		checkOracleStatuses(t, out, v, anchors)
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

// TestOracleSignedBMFF has the oracle (c2pa-rs) sign the BMFF inputs, with
// and without Merkle trees over mdat, and checks that our validator gives
// the oracle's statuses (also with a flipped mdat byte) and that removing
// the C2PA box with our plan gives back the input byte for byte (our offset
// fixups undo c2pa-rs's).
func TestOracleSignedBMFF(t *testing.T) {
	dir := testenv.Oracle(t)
	anchorsPath := testenv.Fixture(t, "certs/c2pa-rs/trust/test_cert_root_bundle.pem")
	anchors, err := os.ReadFile(anchorsPath)
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	merkle := filepath.Join(tmp, "merkle.json")
	if err := os.WriteFile(merkle, []byte(`{"core":{"merkle_tree_chunk_size_in_kb":64}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	var outputs []string
	for _, sc := range bmffSignCases[:4] {
		for _, settings := range []string{"", merkle} {
			in := testenv.Fixture(t, filepath.Join("c2pa", sc.in))
			name := filepath.Base(sc.in)
			if settings != "" {
				name = "merkle-" + name
			}
			out := filepath.Join(tmp, name)
			args := []string{filepath.Join(dir, "sign.mjs"), in, out,
				"--cert", testenv.Fixture(t, "certs/c2pa-rs/es256.pub"), "--key", testenv.Fixture(t, "certs/c2pa-rs/es256.pem")}
			if settings != "" {
				args = append(args, "--settings", settings)
			}
			if b, err := exec.Command("node", args...).CombinedOutput(); err != nil {
				t.Fatalf("oracle sign %s: %v\n%s", name, err, b)
			}
			outputs = append(outputs, out)
			if settings != "" {
				// A changed mdat byte breaks one Merkle leaf.
				flipped := filepath.Join(tmp, "flipped-"+name)
				flipMdatByte(t, out, flipped)
				outputs = append(outputs, flipped)
				continue
			}
			signed, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			_, stripped := assettest.Apply(t, bmff.Handler{}, signed, nil)
			if orig, _ := os.ReadFile(in); !bytes.Equal(stripped, orig) {
				t.Errorf("%s: removing the C2PA box does not give back the input", name)
			}
		}
	}
	res, _ := testenv.OracleVerify(t, append(outputs, "--trust", anchorsPath)...)
	for _, out := range outputs {
		v, _ := res[out].(map[string]any)
		if v == nil {
			t.Errorf("oracle: no result for %s", out)
			continue
		}
		if ours := checkOracleStatuses(t, out, v, anchors); ours != v["validation_state"] {
			t.Errorf("%s: state %v, oracle %v", filepath.Base(out), ours, v["validation_state"])
		}
	}
}

// TestSignBMFFToFile signs into a file, the one-pass path (the output is
// hashed while written, the C2PA box filled in last), for each input.
func TestSignBMFFToFile(t *testing.T) {
	anchors, err := os.ReadFile(testenv.Fixture(t, "certs/c2pa-rs/trust/test_cert_root_bundle.pem"))
	if err != nil {
		t.Fatal(err)
	}
	s := loadTestSigner(t, "es256")
	for _, sc := range bmffSignCases {
		t.Run(filepath.Base(sc.in), func(t *testing.T) {
			data, err := os.ReadFile(testenv.Fixture(t, filepath.Join("c2pa", sc.in)))
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), filepath.Base(sc.in))
			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			err = c2pa.Sign(context.Background(), bytes.NewReader(data), int64(len(data)), sc.mediaType, f, nil, s)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				t.Fatal(err)
			}
			rep := readFile(t, path, sc.mediaType, anchors)
			if rep.ValidationState != c2pa.StateTrusted || !hasCode(rep, "assertion.bmffHash.match") {
				t.Errorf("state %s, failures %v", rep.ValidationState, rep.FailureCodes())
			}
		})
	}
}

// checkOracleStatuses compares every status of our report on the file at
// path (media type sniffed) with the oracle's result v for the same file
// and anchors, and returns our validation state.
func checkOracleStatuses(t *testing.T, path string, v map[string]any, anchors []byte) string {
	t.Helper()
	rep := readFile(t, path, "", anchors)
	b, err := rep.JSON()
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
			t.Errorf("%s: status only in oracle: %s", filepath.Base(path), k)
		}
	}
	for k := range us {
		if !theirs[k] {
			t.Errorf("%s: status only here: %s", filepath.Base(path), k)
		}
	}
	return rep.ValidationState
}
