package scan_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"provgraph/internal/testenv"
	"provgraph/scan"
)

// oracleCache keeps c2pa-rs reports by file content, so each file costs one
// oracle run per test binary (node starts in about 0.1 s, validation more).
var oracleCache sync.Map // [32]byte -> oracleResult

type oracleResult struct {
	report json.RawMessage
	err    error
}

// oracleExt gives the oracle (which takes the format from the file name) an
// extension for each media type.
var oracleExt = map[string]string{
	scan.MediaJPEG: ".jpg", scan.MediaPNG: ".png", scan.MediaWebP: ".webp", scan.MediaGIF: ".gif",
	scan.MediaTIFF: ".tiff", scan.MediaDNG: ".dng", scan.MediaHEIC: ".heic", scan.MediaHEIF: ".heif",
	scan.MediaAVIF: ".avif", scan.MediaMP4: ".mp4", scan.MediaMOV: ".mov", scan.MediaM4A: ".m4a",
	scan.MediaWAV: ".wav", scan.MediaAVI: ".avi", scan.MediaMP3: ".mp3", scan.MediaSVG: ".svg",
	scan.MediaPDF: ".pdf", scan.MediaC2PA: ".c2pa",
}

// oracleReader returns a scan.C2PAReader that asks the c2pa-rs oracle
// (verify.mjs, trust anchors-all.pem, no remote fetches). Files listed in
// prefetch are verified in one batch first. The test is skipped when the
// oracle is not installed (and fails under CI).
func oracleReader(t *testing.T, prefetch ...string) scan.C2PAReader {
	t.Helper()
	dir := testenv.Oracle(t)
	anchors := testenv.Fixture(t, "certs/anchors-all.pem")
	run := func(ctx context.Context, files ...string) (map[string]oracleResult, error) {
		args := append([]string{filepath.Join(dir, "verify.mjs")}, files...)
		args = append(args, "--trust", anchors, "--compact", "--no-remote")
		out, err := exec.CommandContext(ctx, "node", args...).Output()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			return nil, err
		}
		results := map[string]oracleResult{}
		var byFile map[string]json.RawMessage
		if len(files) == 1 {
			byFile = map[string]json.RawMessage{files[0]: out}
		} else if err := json.Unmarshal(out, &byFile); err != nil {
			return nil, err
		}
		for f, rep := range byFile {
			var probe struct {
				Error string `json:"error"`
			}
			if jerr := json.Unmarshal(rep, &probe); jerr != nil {
				results[f] = oracleResult{err: jerr}
			} else if probe.Error != "" {
				results[f] = oracleResult{err: errors.New(probe.Error)}
			} else {
				results[f] = oracleResult{report: rep}
			}
		}
		return results, nil
	}
	var todo []string
	for _, f := range prefetch {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := oracleCache.Load(sha256.Sum256(data)); !ok {
			todo = append(todo, f)
		}
	}
	if len(todo) > 0 {
		res, err := run(context.Background(), todo...)
		if err != nil {
			t.Fatalf("oracle batch: %v", err)
		}
		for _, f := range todo {
			data, _ := os.ReadFile(f)
			if r, ok := res[f]; ok {
				oracleCache.Store(sha256.Sum256(data), r)
			}
		}
	}
	tmp := t.TempDir()
	return func(ctx context.Context, r io.ReaderAt, size int64, mediaType string) (json.RawMessage, error) {
		data, err := io.ReadAll(io.NewSectionReader(r, 0, size))
		if err != nil {
			return nil, err
		}
		key := sha256.Sum256(data)
		if v, ok := oracleCache.Load(key); ok {
			res := v.(oracleResult)
			return res.report, res.err
		}
		f, err := os.CreateTemp(tmp, "asset-*"+oracleExt[mediaType])
		if err != nil {
			return nil, err
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			return nil, err
		}
		f.Close()
		res, err := run(ctx, f.Name())
		if err != nil {
			return nil, err
		}
		r1 := res[f.Name()]
		oracleCache.Store(key, r1)
		return r1.report, r1.err
	}
}
