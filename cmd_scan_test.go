package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"provgraph/internal/testenv"
)

// runScanCLI runs "provgraph scan" in-process and returns stdout, stderr
// and the error cobra returned.
func runScanCLI(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	root := newRootCmd()
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs(append([]string{"scan"}, args...))
	err := root.Execute()
	return out.String(), errb.String(), err
}

func TestScanCLI(t *testing.T) {
	titan := testenv.Fixture(t, "c2pa/png/ts-amazon-titan-g1.png")
	a1111 := filepath.Join("scan", "testdata", "a1111.png")
	missing := filepath.Join(t.TempDir(), "nope.jpg")
	cases := []struct {
		name     string
		args     []string
		verdicts []string
		exitCode int
		stderr   string
	}{
		{"one file", []string{a1111}, []string{"hinted-ai"}, 0, ""},
		// The engine validates Titan's manifest (Valid: signer untrusted), so its AI marking counts.
		{"ndjson, argument order", []string{titan, a1111}, []string{"declared-ai", "hinted-ai"}, 0, ""},
		{"a missing file fails the run, the others still print", []string{missing, a1111}, []string{"hinted-ai"}, 1, "nope.jpg"},
		{"budget flag", []string{"--max-metadata-bytes", "64", a1111}, []string{"no-ai-marking"}, 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, err := runScanCLI(t, tc.args...)
			code := 0
			var ee exitError
			if errors.As(err, &ee) {
				code = ee.code
			} else if err != nil {
				t.Fatalf("err = %v", err)
			}
			if code != tc.exitCode {
				t.Errorf("exit code %d, want %d (stderr %q)", code, tc.exitCode, stderr)
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr %q lacks %q", stderr, tc.stderr)
			}
			lines := strings.Split(strings.TrimSpace(stdout), "\n")
			if len(lines) != len(tc.verdicts) {
				t.Fatalf("%d lines, want %d:\n%s", len(lines), len(tc.verdicts), stdout)
			}
			for i, line := range lines {
				var rep struct {
					File    string  `json:"file"`
					Verdict string  `json:"verdict"`
					HasC2PA *bool   `json:"hasC2PA"`
					AIModel *string `json:"aiModel"`
				}
				if err := json.Unmarshal([]byte(line), &rep); err != nil {
					t.Fatalf("line %d is not JSON: %v", i, err)
				}
				if rep.Verdict != tc.verdicts[i] || rep.HasC2PA == nil || rep.File == "" {
					t.Errorf("line %d: %s", i, line)
				}
			}
		})
	}
}

func TestScanCLINeedsAFile(t *testing.T) {
	if _, _, err := runScanCLI(t); err == nil {
		t.Error("scan without files succeeded")
	}
}
