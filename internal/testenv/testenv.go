package testenv

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// RepoRoot returns the root of the provgraph module.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// SharedDir returns the shared folder (fixtures, certificates, trust lists,
// the oracle): $PROVGRAPH_SHARED, or ../shared beside the repository. A test
// that needs it fails when it is missing: CI always provides it.
func SharedDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("PROVGRAPH_SHARED")
	if dir == "" {
		dir = filepath.Join(RepoRoot(), "..", "shared")
	}
	if _, err := os.Stat(filepath.Join(dir, "fixtures")); err != nil {
		t.Fatalf("shared fixtures not found at %s (set PROVGRAPH_SHARED): %v", dir, err)
	}
	return dir
}

// Fixture returns the path of a file under shared/fixtures.
func Fixture(t testing.TB, rel string) string {
	t.Helper()
	return filepath.Join(SharedDir(t), "fixtures", rel)
}

// Oracle returns the folder of the installed c2pa-rs oracle ($PROVGRAPH_ORACLE).
// Interop tests run whenever it is set; under CI (CI=true) its absence is a
// failure, elsewhere the test is skipped with the reason.
func Oracle(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("PROVGRAPH_ORACLE")
	if dir == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("PROVGRAPH_ORACLE is not set under CI: .ci/run must install the oracle")
		}
		t.Skip("PROVGRAPH_ORACLE not set: install ../shared/tools/c2pa-oracle (see README) to run interop tests")
	}
	return dir
}

// OracleVerify runs the oracle's verify.mjs on files with extra arguments
// (e.g. "--trust", pem) and returns its JSON output decoded. With several
// files the result is keyed by path, as verify.mjs prints it.
func OracleVerify(t testing.TB, args ...string) (map[string]any, int) {
	t.Helper()
	dir := Oracle(t)
	cmd := exec.Command("node", append([]string{filepath.Join(dir, "verify.mjs")}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("oracle: %v", err)
	}
	var v map[string]any
	if jerr := json.Unmarshal(out.Bytes(), &v); jerr != nil {
		t.Fatalf("oracle output is not JSON (exit %d): %v\nstdout: %.2000s\nstderr: %.2000s", code, jerr, out.String(), errb.String())
	}
	return v, code
}
