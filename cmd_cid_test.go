package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"provgraph/internal/testenv"
)

const (
	helloV1 = "bafkreicysg23kiwv34eg2d7qweipxwosdo2py4ldv42nbauguluen5v6am"
	helloV0 = "QmZULkCELmmk5XNfCgTnCyFgAVxBRBXyDHGGMVoLFLiXEN"
	// 262 145 zero bytes: two chunks, so a dag-pb root.
	zerosV1 = "bafybeigllfqgfpqydppr6cmv56g7ax4wyhruzswvcefv6j5kj77nzttfki"
	zerosV0 = "QmbVuw4C4vcmVKqxoWtgDVobvcHrSn51qsmQmyxjk4sB2Q"
)

// cidFiles writes the inputs of the CLI tests into a temporary folder.
func cidFiles(t *testing.T) (hello, zeros string) {
	t.Helper()
	dir := t.TempDir()
	hello, zeros = filepath.Join(dir, "hello.txt"), filepath.Join(dir, "zeros.bin")
	if err := os.WriteFile(hello, []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(zeros, make([]byte, 262145), 0o644); err != nil {
		t.Fatal(err)
	}
	return hello, zeros
}

type cidCLICase struct {
	name    string
	args    []string
	stdin   string
	code    int
	stdout  string
	stderrs []string // substrings stderr must contain
}

func cidCLICases(hello, zeros, missing string) []cidCLICase {
	return []cidCLICase{
		{name: "default is CIDv1", args: []string{"cid", hello}, stdout: helloV1 + "\n"},
		{name: "v0", args: []string{"cid", "--cid-version", "0", hello}, stdout: helloV0 + "\n"},
		{name: "several files", args: []string{"cid", "--cid-version=0", hello, zeros},
			stdout: helloV0 + "  " + hello + "\n" + zerosV0 + "  " + zeros + "\n"},
		{name: "stdin", args: []string{"cid", "-"}, stdin: "hello\n", stdout: helloV1 + "\n"},
		{name: "kubo profile spelled out", args: []string{"cid", "--profile", "kubo", zeros}, stdout: zerosV1 + "\n"},
		{name: "unixfs-v1-2025 keeps a 256 KiB+1 file in one raw leaf", args: []string{"cid", "--profile", "unixfs-v1-2025", zeros},
			stdout: "bafkrei"},
		{name: "unreadable file among readable ones", args: []string{"cid", hello, missing, zeros}, code: 1,
			stdout: helloV1 + "  " + hello + "\n" + zerosV1 + "  " + zeros + "\n", stderrs: []string{missing}},
		{name: "a folder is unreadable", args: []string{"cid", filepath.Dir(hello)}, code: 1, stderrs: []string{"is a directory"}},
		{name: "bad version", args: []string{"cid", "--cid-version", "2", hello}, code: 2, stderrs: []string{"--cid-version 2", "--help"}},
		{name: "version not a number", args: []string{"cid", "--cid-version", "one", hello}, code: 2, stderrs: []string{"--cid-version"}},
		{name: "bad profile", args: []string{"cid", "--profile", "trickle", hello}, code: 2, stderrs: []string{`--profile "trickle"`, "unixfs-v1-2025"}},
		{name: "v0 with unixfs-v1-2025", args: []string{"cid", "--profile", "unixfs-v1-2025", "--cid-version", "0", hello}, code: 2,
			stderrs: []string{"not allowed"}},
		{name: "unknown flag", args: []string{"cid", "--raw-leaves", hello}, code: 2, stderrs: []string{"unknown flag: --raw-leaves"}},
		{name: "no file", args: []string{"cid"}, code: 2, stderrs: []string{"no FILE"}},
	}
}

func checkCIDCLI(t *testing.T, tc cidCLICase, code int, stdout, stderr string) {
	t.Helper()
	if code != tc.code {
		t.Errorf("exit code %d, want %d (stderr %q)", code, tc.code, stderr)
	}
	if strings.HasSuffix(tc.stdout, "\n") || tc.stdout == "" {
		if stdout != tc.stdout {
			t.Errorf("stdout %q, want %q", stdout, tc.stdout)
		}
	} else if !strings.HasPrefix(stdout, tc.stdout) || strings.Count(stdout, "\n") != 1 {
		t.Errorf("stdout %q, want one line starting %q", stdout, tc.stdout)
	}
	for _, s := range tc.stderrs {
		if !strings.Contains(stderr, s) {
			t.Errorf("stderr %q does not mention %q", stderr, s)
		}
	}
}

// TestCIDCommand runs the command tree in process.
func TestCIDCommand(t *testing.T) {
	hello, zeros := cidFiles(t)
	for _, tc := range cidCLICases(hello, zeros, filepath.Join(t.TempDir(), "missing")) {
		t.Run(tc.name, func(t *testing.T) {
			root := newRootCmd()
			var stdout, stderr bytes.Buffer
			root.SetArgs(tc.args)
			root.SetIn(strings.NewReader(tc.stdin))
			root.SetOut(&stdout)
			root.SetErr(&stderr)
			err := root.Execute()
			code := 0
			var ee exitError
			switch {
			case errors.As(err, &ee):
				code = ee.code
			case err != nil:
				code = 1
				stderr.WriteString(err.Error())
			}
			checkCIDCLI(t, tc, code, stdout.String(), stderr.String())
		})
	}
}

// TestCIDBinary builds provgraph and checks the real exit statuses, which
// go through main's exitCode.
func TestCIDBinary(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "provgraph")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = testenv.RepoRoot()
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	hello, zeros := cidFiles(t)
	for _, tc := range cidCLICases(hello, zeros, filepath.Join(t.TempDir(), "missing")) {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(bin, tc.args...)
			cmd.Stdin = strings.NewReader(tc.stdin)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			checkCIDCLI(t, tc, code, stdout.String(), stderr.String())
		})
	}
}
