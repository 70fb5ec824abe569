package c2pa_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"provgraph/c2pa"
	"provgraph/c2pa/asset"
	"provgraph/c2pa/cose/cosetest"
	"provgraph/internal/testenv"
)

var testAlgs = []string{"es256", "es384", "es512", "ps256", "ps384", "ps512", "ed25519"}

func loadTestSigner(t *testing.T, alg string) *c2pa.Signer {
	t.Helper()
	chain, err := os.ReadFile(testenv.Fixture(t, "certs/c2pa-rs/"+alg+".pub"))
	if err != nil {
		t.Fatal(err)
	}
	key, err := os.ReadFile(testenv.Fixture(t, "certs/c2pa-rs/"+alg+".pem"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := c2pa.LoadSigner(chain, key)
	if err != nil {
		t.Fatalf("LoadSigner(%s): %v", alg, err)
	}
	if got := s.Algorithm.String(); got != alg {
		t.Fatalf("algorithm from key = %s, want %s", got, alg)
	}
	return s
}

func signFile(t *testing.T, in, out, mediaType string, s *c2pa.Signer, def *c2pa.ManifestDefinition) {
	t.Helper()
	data, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c2pa.Sign(context.Background(), bytes.NewReader(data), int64(len(data)), mediaType, &buf, def, s); err != nil {
		t.Fatalf("Sign %s: %v", in, err)
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// signIntoFile is signFile through the one-pass path: the output is a
// file, written while the asset is hashed.
func signIntoFile(t *testing.T, in, out, mediaType string, s *c2pa.Signer, def *c2pa.ManifestDefinition) {
	t.Helper()
	src, err := os.Open(in)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	st, err := src.Stat()
	if err != nil {
		t.Fatal(err)
	}
	dst, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := c2pa.Sign(context.Background(), src, st.Size(), mediaType, dst, def, s); err != nil {
		t.Fatalf("Sign %s: %v", in, err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path, mediaType string, anchors []byte) *c2pa.Report {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := c2pa.Read(context.Background(), bytes.NewReader(data), int64(len(data)), mediaType, c2pa.ReadOptions{TrustAnchors: anchors})
	if err != nil {
		t.Fatalf("Read %s: %v", path, err)
	}
	return rep
}

type signCase struct {
	in, mediaType string
	resign        bool
}

var signCases = []signCase{
	{"jpeg/pt-adobe-20220124-A.jpg", "image/jpeg", false},
	{"png/rs-libpng-test.png", "image/png", false},
	{"webp/rs-sample1.webp", "image/webp", false},
	{"jpeg/rs-CA.jpg", "image/jpeg", true},
	{"png/rs-bench-100kb-signed.png", "image/png", true},
	{"webp/ms-cards_trusted.webp", "image/webp", true},
	{"jpeg/pt-adobe-20220124-CACA.jpg", "image/jpeg", true},
	{"tiff/rs-TUSCANY.TIF", "image/tiff", false},
	{"tiff/rs-MultiPage.tif", "image/tiff", false},
	{"tiff/rs-bench-100kb-signed.tiff", "image/tiff", true},
	{"gif/ts-c2pa.gif", "image/gif", false},
	{"gif/rs-bench-100kb-signed.gif", "image/gif", true},
	{"svg/rs-sample1.svg", "image/svg+xml", false},
	{"svg/rs-compat-0.33.0-embedded.svg", "image/svg+xml", true},
	{"mp3/ms-cicadas_trusted.mp3", "audio/mpeg", true},
	{"mp3/google-mp3_valid.mp3", "audio/mpeg", true},
}

// TestSignVerify signs fresh and signed samples with every c2pa-rs test key
// and checks our validator and the oracle both report Trusted without
// failures, that re-signing keeps the old manifest as parentOf, and that
// one flipped image byte yields assertion.dataHash.mismatch in both.
func TestSignVerify(t *testing.T) {
	anchors, err := os.ReadFile(testenv.Fixture(t, "certs/c2pa-rs/trust/test_cert_root_bundle.pem"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var outputs []string
	for i, alg := range testAlgs {
		s := loadTestSigner(t, alg)
		// Half the keys sign into a buffer (hash pass, then copy), half
		// into a file (the one-pass path): the oracle checks both.
		sign := signFile
		if i%2 == 1 {
			sign = signIntoFile
		}
		for _, sc := range signCases {
			name := alg + "-" + filepath.Base(sc.in)
			out := filepath.Join(dir, name)
			t.Run(name, func(t *testing.T) {
				in := testenv.Fixture(t, filepath.Join("c2pa", sc.in))
				sign(t, in, out, sc.mediaType, s, &c2pa.ManifestDefinition{Title: filepath.Base(sc.in)})
				rep := readFile(t, out, sc.mediaType, anchors)
				if rep.ValidationState != c2pa.StateTrusted || len(rep.FailureCodes()) != 0 {
					t.Errorf("state %s, failures %v", rep.ValidationState, rep.FailureCodes())
				}
				if sc.resign {
					checkParent(t, rep, readFile(t, in, sc.mediaType, nil))
				}
				flipped := filepath.Join(dir, "flipped-"+name)
				flipImageByte(t, out, flipped, sc.mediaType)
				if fr := readFile(t, flipped, sc.mediaType, anchors); !slices.Contains(fr.FailureCodes(), "assertion.dataHash.mismatch") {
					t.Errorf("flipped byte: failures %v, want assertion.dataHash.mismatch", fr.FailureCodes())
				}
				outputs = append(outputs, out, flipped)
			})
		}
	}
	if len(outputs) == 0 {
		return
	}
	res, _ := testenv.OracleVerify(t, append(outputs, "--trust", testenv.Fixture(t, "certs/c2pa-rs/trust/test_cert_root_bundle.pem"))...)
	for _, out := range outputs {
		v, _ := res[out].(map[string]any)
		if v == nil {
			t.Errorf("oracle: no result for %s", out)
			continue
		}
		fails := oracleFailures(v)
		if filepath.Base(out)[:8] == "flipped-" {
			if !slices.Contains(fails, "assertion.dataHash.mismatch") {
				t.Errorf("oracle %s: failures %v, want assertion.dataHash.mismatch", filepath.Base(out), fails)
			}
			continue
		}
		if v["validation_state"] != "Trusted" || len(fails) != 0 {
			t.Errorf("oracle %s: state %v failures %v (error %v)", filepath.Base(out), v["validation_state"], fails, v["error"])
		}
		// Every status, ours and the oracle's, for the same file and anchors.
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

// oracleFailures returns the failure codes of the oracle's validation_results.
func oracleFailures(v map[string]any) []string { return oracleCodes(v, "failure") }

// oracleCodes lists the distinct codes of one kind ("success",
// "informational" or "failure") in an oracle report, active manifest and
// ingredient deltas.
func oracleCodes(v map[string]any, kind string) []string {
	var out []string
	vr, _ := v["validation_results"].(map[string]any)
	collect := func(sc any) {
		m, _ := sc.(map[string]any)
		fl, _ := m[kind].([]any)
		for _, f := range fl {
			if e, ok := f.(map[string]any); ok {
				if c, ok := e["code"].(string); ok && !slices.Contains(out, c) {
					out = append(out, c)
				}
			}
		}
	}
	collect(vr["activeManifest"])
	deltas, _ := vr["ingredientDeltas"].([]any)
	for _, d := range deltas {
		if m, ok := d.(map[string]any); ok {
			collect(m["validationDeltas"])
		}
	}
	return out
}

func checkParent(t *testing.T, rep, prev *c2pa.Report) {
	t.Helper()
	if rep.Manifest(prev.ActiveManifest) == nil {
		t.Errorf("previous active manifest %s not kept in the store", prev.ActiveManifest)
	}
	m := rep.Manifest(rep.ActiveManifest)
	for _, ing := range m.Ingredients {
		if ing.Relationship == "parentOf" && ing.ActiveManifest == prev.ActiveManifest {
			return
		}
	}
	t.Errorf("no parentOf ingredient referencing %s", prev.ActiveManifest)
}

// flipImageByte copies src to dst with one byte flipped outside the store
// exclusion (in the middle of the largest non-excluded run).
func flipImageByte(t *testing.T, src, dst, mediaType string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	h, ok := asset.Lookup(mediaType)
	if !ok {
		t.Fatalf("no handler for %s", mediaType)
	}
	store, err := h.ReadStore(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	p, err := h.Plan(bytes.NewReader(data), int64(len(data)), len(store))
	if err != nil {
		t.Fatal(err)
	}
	pos := int64(len(data)) - 16
	if len(p.Exclusions) > 0 && p.Exclusions[0].End() > pos {
		pos = p.Exclusions[0].Start / 2
	}
	data[pos] ^= 0x01
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestOracleSignedVerify verifies files the oracle signs.
func TestOracleSignedVerify(t *testing.T) {
	dir := testenv.Oracle(t)
	anchors := testenv.Fixture(t, "certs/c2pa-rs/trust/test_cert_root_bundle.pem")
	ab, err := os.ReadFile(anchors)
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	for _, alg := range testAlgs {
		for _, sc := range signCases[:3] {
			out := filepath.Join(tmp, alg+"-"+filepath.Base(sc.in))
			cmd := exec.Command("node", filepath.Join(dir, "sign.mjs"), testenv.Fixture(t, filepath.Join("c2pa", sc.in)), out,
				"--cert", testenv.Fixture(t, "certs/c2pa-rs/"+alg+".pub"), "--key", testenv.Fixture(t, "certs/c2pa-rs/"+alg+".pem"))
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("oracle sign %s: %v\n%s", out, err, b)
			}
			rep := readFile(t, out, sc.mediaType, ab)
			if rep.ValidationState != c2pa.StateTrusted {
				t.Errorf("%s: state %s failures %v", filepath.Base(out), rep.ValidationState, rep.FailureCodes())
			}
		}
	}
}

// TestSignTimeStamp signs with an RFC 3161 time-stamp (sigTst2) from a test
// TSA whose root joins the anchors: Trusted with timeStamp.trusted here and
// in the oracle.
func TestSignTimeStamp(t *testing.T) {
	tsa, err := cosetest.NewTSA(time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	bundle, err := os.ReadFile(testenv.Fixture(t, "certs/c2pa-rs/trust/test_cert_root_bundle.pem"))
	if err != nil {
		t.Fatal(err)
	}
	bundle = append(bundle, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tsa.Root.Raw})...)
	dir := t.TempDir()
	anchors := filepath.Join(dir, "anchors.pem")
	if err := os.WriteFile(anchors, bundle, 0o644); err != nil {
		t.Fatal(err)
	}
	s := loadTestSigner(t, "es256")
	s.TimeStamper = tsa
	out := filepath.Join(dir, "stamped.jpg")
	signFile(t, testenv.Fixture(t, "c2pa/jpeg/pt-adobe-20220124-A.jpg"), out, "image/jpeg", s, nil)
	rep := readFile(t, out, "image/jpeg", bundle)
	hasTrustedTST := false
	for _, e := range rep.ValidationResults.ActiveManifest.Success {
		hasTrustedTST = hasTrustedTST || e.Code == "timeStamp.trusted"
	}
	if rep.ValidationState != c2pa.StateTrusted || !hasTrustedTST {
		t.Errorf("state %s, timeStamp.trusted %v, failures %v", rep.ValidationState, hasTrustedTST, rep.FailureCodes())
	}
	if si := rep.Manifest(rep.ActiveManifest).SignatureInfo; si == nil || si.Time == "" {
		t.Errorf("signature_info without time: %+v", si)
	}
	res, _ := testenv.OracleVerify(t, out, "--trust", anchors)
	if res["validation_state"] != "Trusted" || len(oracleFailures(res)) != 0 {
		t.Errorf("oracle: state %v failures %v", res["validation_state"], oracleFailures(res))
	}
	if ok := oracleCodes(res, "success"); !slices.Contains(ok, "timeStamp.validated") || !slices.Contains(ok, "timeStamp.trusted") {
		t.Errorf("oracle success codes %v lack timeStamp.validated and timeStamp.trusted", ok)
	}
}

// TestSignOverUnreadableStore signs files whose store c2pa-rs cannot read
// (pre-1.0, no alg): the store is replaced and the result is Trusted.
func TestSignOverUnreadableStore(t *testing.T) {
	anchors, err := os.ReadFile(testenv.Fixture(t, "certs/c2pa-rs/trust/test_cert_root_bundle.pem"))
	if err != nil {
		t.Fatal(err)
	}
	s := loadTestSigner(t, "es256")
	for _, rel := range []string{"jpeg/rs-prerelease.jpg", "jpeg/rs-no_alg.jpg"} {
		out := filepath.Join(t.TempDir(), filepath.Base(rel))
		signFile(t, testenv.Fixture(t, filepath.Join("c2pa", rel)), out, "image/jpeg", s, nil)
		rep := readFile(t, out, "image/jpeg", anchors)
		if rep.ValidationState != c2pa.StateTrusted || rep.Store == nil || len(rep.Store.Manifests) != 1 {
			t.Errorf("%s: state %s failures %v", rel, rep.ValidationState, rep.FailureCodes())
		}
	}
}
