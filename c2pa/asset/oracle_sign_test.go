package asset_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"provgraph/c2pa/asset"
	"provgraph/c2pa/asset/assettest"
	"provgraph/internal/testenv"
)

// oracleSign signs a fixture with c2pa-rs (the oracle's sign.mjs, c2pa-rs
// test key) and returns the signed bytes. settings is a c2pa-rs settings
// JSON document, or "".
func oracleSign(t *testing.T, rel, settings string) []byte {
	t.Helper()
	dir := testenv.Oracle(t)
	certs := testenv.Fixture(t, "certs/c2pa-rs")
	out := filepath.Join(t.TempDir(), filepath.Base(rel))
	args := []string{filepath.Join(dir, "sign.mjs"), testenv.Fixture(t, filepath.Join("c2pa", rel)), out,
		"--cert", filepath.Join(certs, "es256.pub"), "--key", filepath.Join(certs, "es256.pem"), "--alg", "es256"}
	if settings != "" {
		path := filepath.Join(t.TempDir(), "settings.json")
		if err := os.WriteFile(path, []byte(settings), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, "--settings", path)
	}
	if msg, err := exec.Command("node", args...).CombinedOutput(); err != nil {
		t.Fatalf("sign.mjs %s: %v\n%s", rel, err, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestOracleSignPlacement has c2pa-rs sign fixtures (a data-hash binding, its
// default) and checks that Plan, given the original and the store c2pa-rs
// embedded, writes exactly c2pa-rs's file: same carrier framing, same
// position, nothing else touched. The inputs cover JPEG with and without
// APP0 and with a store to replace, PNG, WebP, WAV with a store, AVI, and
// BMFF (MP4, MOV, M4A, HEIF: box after ftyp with chunk and item offsets
// shifted; MP4 and HEIC with a store replaced in place).
func TestOracleSignPlacement(t *testing.T) {
	testenv.Oracle(t)
	for _, rel := range []string{
		"jpeg/rs-cloud.jpg", "jpeg/rs-CA.jpg", "jpeg/rs-no_manifest.jpg",
		"png/rs-libpng-test.png", "webp/rs-test.webp", "wav/rs-bench-100kb-signed.wav", "avi/jsl-sample.avi",
		"gif/ts-c2pa.gif", "tiff/rs-TUSCANY.TIF", "tiff/rs-MultiPage.tif", "svg/rs-sample1.svg", "svg/rs-sample5.svg",
		"mp4/rs-video1_no_manifest.mp4", "mp4/rs-video1.mp4", "heif/rs-sample1.heif", "m4a/rs-sample1.m4a", "mov/rs-c.mov",
		"heic/ts-trustnxt-icon-signed-c2patool.heic",
	} {
		t.Run(rel, func(t *testing.T) {
			signed := oracleSign(t, rel, "")
			in := assettest.ReadFixture(t, rel)
			h, err := asset.Detect(bytes.NewReader(in), int64(len(in)))
			if err != nil {
				t.Fatal(err)
			}
			store, err := h.ReadStore(bytes.NewReader(signed), int64(len(signed)))
			if err != nil {
				t.Fatal(err)
			}
			p, out := assettest.Apply(t, h, in, store)
			if !bytes.Equal(out, signed) {
				i := 0
				for i < min(len(out), len(signed)) && out[i] == signed[i] {
					i++
				}
				t.Fatalf("Plan output (%d bytes) differs from c2pa-rs's (%d bytes) at offset %d", len(out), len(signed), i)
			}
			loc, err := asset.Locate(h, bytes.NewReader(signed), int64(len(signed)))
			if err != nil || loc != p.Carrier {
				t.Errorf("Locate = %v, %v; planned carrier %v", loc, err, p.Carrier)
			}
		})
	}
}

// TestOracleBoxHash has c2pa-rs sign with a c2pa.hash.boxes binding (it
// uses one when compressed manifests are preferred) and verifies the
// binding against BoxMap; the unsigned input's BoxMap must already name the
// boxes c2pa-rs hashed, with the excluded C2PA placeholder where the store
// went.
func TestOracleBoxHash(t *testing.T) {
	testenv.Oracle(t)
	for _, rel := range []string{"jpeg/rs-boxhash.jpg", "jpeg/rs-cloud.jpg", "png/rs-libpng-test.png", "gif/ts-c2pa.gif"} {
		t.Run(rel, func(t *testing.T) {
			signed := oracleSign(t, rel, `{"core":{"prefer_compress_manifests":true}}`)
			h, err := asset.Detect(bytes.NewReader(signed), int64(len(signed)))
			if err != nil {
				t.Fatal(err)
			}
			raw, err := h.ReadStore(bytes.NewReader(signed), int64(len(signed)))
			if err != nil {
				t.Fatal(err)
			}
			bh, claimAlg, ok := activeBoxHash(t, raw)
			if !ok {
				t.Fatal("c2pa-rs wrote no c2pa.hash.boxes binding")
			}
			verifyBoxHash(t, h, signed, bh, claimAlg)

			in := assettest.ReadFixture(t, rel)
			if _, err := h.ReadStore(bytes.NewReader(in), int64(len(in))); err == nil {
				return // the input had a store: no placeholder to compare
			}
			before, err := h.BoxMap(bytes.NewReader(in), int64(len(in)))
			if err != nil {
				t.Fatal(err)
			}
			after, err := h.BoxMap(bytes.NewReader(signed), int64(len(signed)))
			if err != nil {
				t.Fatal(err)
			}
			if len(before) != len(after) {
				t.Fatalf("%d boxes before signing, %d after", len(before), len(after))
			}
			for i := range before {
				if before[i].Name != after[i].Name || before[i].Excluded != (before[i].Name == asset.StoreBoxName) {
					t.Errorf("box %d: %+v before signing, %+v after", i, before[i], after[i])
				}
			}
		})
	}
}
