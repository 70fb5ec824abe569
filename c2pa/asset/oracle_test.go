package asset_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"provgraph/c2pa/asset"
	"provgraph/c2pa/asset/assettest"
	"provgraph/internal/testenv"
)

// oracleVerdict is what the oracle's report says of one file: the validation
// state and the sorted failure codes (validation_status).
func oracleVerdict(t *testing.T, report any) (string, []string) {
	t.Helper()
	m, ok := report.(map[string]any)
	if !ok {
		t.Fatalf("oracle report %T", report)
	}
	if e, ok := m["error"]; ok {
		return "error", []string{e.(string)}
	}
	state, _ := m["validation_state"].(string)
	var codes []string
	if st, ok := m["validation_status"].([]any); ok {
		for _, s := range st {
			codes = append(codes, s.(map[string]any)["code"].(string))
		}
	}
	slices.Sort(codes)
	return state, codes
}

// TestOraclePlacement proves that plans put stores byte-exactly where
// c2pa-rs expects them: the data hash (or box hash) of each signed fixture
// covers every byte outside the store, so a file rebuilt by Plan validates
// exactly as the original only if the carrier landed at the same offset
// with the same length. "strip" removes the store and re-embeds the
// original store bytes into the stripped file; "in place" replaces the store
// of the original file by itself (for files whose store sits where c2pa-rs
// would not put it after stripping, e.g. after APP1, so stripping moves it).
//
// Not listed, because c2pa-rs itself moves their store when it rewrites
// them, and so does Plan: jpeg/ms-bing_creator_cloud_surfing_puppy.jpg (store
// right after SOI, APP0 later: c2pa-rs re-inserts after APP0) and
// png/google-png_valid.png (caBX after other chunks: c2pa-rs re-inserts
// right after IHDR).
func TestOraclePlacement(t *testing.T) {
	testenv.Oracle(t)
	tests := []struct {
		file string
		mode string
	}{
		{"jpeg/rs-CA.jpg", "strip"},
		{"jpeg/rs-update_manifest.jpg", "in place"},
		{"jpeg/lr-PXL_20260208_202351558.jpg", "in place"},
		{"jpeg/pt-adobe-20220124-CACA.jpg", "strip"},
		{"png/rs-bench-100kb-signed.png", "strip"},
		{"webp/ms-cards_trusted.webp", "strip"},
		{"wav/rs-bench-100kb-signed.wav", "strip"},
		{"wav/py-sample1_signed.wav", "strip"},
		{"avi/jsl-sample.avi", "strip"},
	}
	rows := map[string]assettest.Fixture{}
	for _, fx := range fixtures(t) {
		rows[fx.File] = fx
	}
	dir := t.TempDir()
	args := []string{"--trust", testenv.Fixture(t, "certs/anchors-all.pem"), "--no-remote", "--compact"}
	var origs, rebuilt []string
	for i, tt := range tests {
		src := testenv.Fixture(t, filepath.Join("c2pa", tt.file))
		data := assettest.ReadFixture(t, tt.file)
		h, _ := asset.Lookup(rows[tt.file].MediaType)
		store, err := h.ReadStore(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		base := data
		if tt.mode == "strip" {
			_, base = assettest.Apply(t, h, data, nil)
			if _, err := h.ReadStore(bytes.NewReader(base), int64(len(base))); err == nil {
				t.Fatalf("%s: store left after stripping", tt.file)
			}
		}
		_, out := assettest.Apply(t, h, base, store)
		dst := filepath.Join(dir, filepath.Base(filepath.Dir(tt.file))+"-"+string(rune('a'+i))+filepath.Ext(tt.file))
		if err := os.WriteFile(dst, out, 0o644); err != nil {
			t.Fatal(err)
		}
		origs, rebuilt = append(origs, src), append(rebuilt, dst)
	}
	reports, _ := testenv.OracleVerify(t, append(append(slices.Clone(origs), rebuilt...), args...)...)
	for i, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			wantState, wantCodes := oracleVerdict(t, reports[origs[i]])
			gotState, gotCodes := oracleVerdict(t, reports[rebuilt[i]])
			if gotState != wantState || !slices.Equal(gotCodes, wantCodes) {
				t.Fatalf("rebuilt file: %s %v; original: %s %v", gotState, gotCodes, wantState, wantCodes)
			}
			// INDEX.tsv recorded the oracle's state for the original; it can
			// only drift when a certificate has expired since.
			if rec := rows[tt.file].OracleState; rec != wantState {
				t.Logf("oracle now says %s for the original, INDEX.tsv recorded %s", wantState, rec)
			}
		})
	}
}
