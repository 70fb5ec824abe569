package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"provgraph/c2pa"
	"provgraph/c2pa/asset/assettest"
	"provgraph/internal/testenv"
	"provgraph/scan"
)

// TestScanWithEngineMatchesOracle scans every fixture that carries a
// manifest twice: with provgraph's C2PA engine as the scanner's reader, and
// with c2pa-rs (the oracle). Verdict, AI model and validation state must be
// the same, so the Go engine changes nothing a user of scan sees.
func TestScanWithEngineMatchesOracle(t *testing.T) {
	oracle := testenv.Oracle(t)
	dir := testenv.Fixture(t, "c2pa")
	anchors := testenv.Fixture(t, "certs/anchors-all.pem")
	pem, err := os.ReadFile(anchors)
	if err != nil {
		t.Fatal(err)
	}
	files := signedFixtures(t, dir)

	// One oracle process for every file: its output is keyed by path.
	args := append([]string{filepath.Join(oracle, "verify.mjs")}, files...)
	args = append(args, "--trust", anchors, "--no-remote", "--compact")
	out, _ := exec.Command("node", args...).Output()
	var byPath map[string]json.RawMessage
	if err := json.Unmarshal(out, &byPath); err != nil {
		t.Fatalf("oracle output: %v\n%.500s", err, out)
	}

	engine := c2pa.ReportReader(c2pa.ReadOptions{TrustAnchors: pem})
	for _, path := range files {
		rel, _ := filepath.Rel(dir, path)
		t.Run(rel, func(t *testing.T) {
			fromOracle := func(context.Context, io.ReaderAt, int64, string) (json.RawMessage, error) {
				return byPath[path], nil
			}
			ours := scanWith(t, path, engine)
			theirs := scanWith(t, path, fromOracle)
			if ours.Verdict != theirs.Verdict || deref(ours.AIModel) != deref(theirs.AIModel) || state(ours) != state(theirs) {
				t.Errorf("engine: %s %q %s (%s)\noracle: %s %q %s (%s)",
					ours.Verdict, deref(ours.AIModel), state(ours), ours.Reason,
					theirs.Verdict, deref(theirs.AIModel), state(theirs), theirs.Reason)
			}
		})
	}
}

// signedFixtures lists the INDEX.tsv files that embed a manifest store in a
// container the engine handles (the list grows as containers are added).
func signedFixtures(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	for _, fx := range assettest.Fixtures(t) {
		if fx.HasManifest && fx.MediaType != "application/c2pa" {
			files = append(files, filepath.Join(dir, fx.File))
		}
	}
	if len(files) == 0 {
		t.Fatal("no signed fixtures listed")
	}
	return files
}

func scanWith(t *testing.T, path string, reader scan.C2PAReader) *scan.Report {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := scan.Scan(context.Background(), f, st.Size(), scan.Options{C2PA: reader})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func state(r *scan.Report) string {
	if r.C2PA == nil {
		return ""
	}
	return r.C2PA.ValidationState
}
