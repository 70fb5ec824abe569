package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"provgraph/db/dbtest"
)

// buildBinary builds the provgraph binary into a temporary folder.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "provgraph")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// serveProcess is a running `provgraph serve`.
type serveProcess struct {
	cmd    *exec.Cmd
	base   string // http://host:port
	stdout *bytes.Buffer
	exited bool
}

// startServe runs `provgraph serve` on a free loopback port with the data
// folder dataDir and the environment added to the test's (DATABASE_URL set
// for a PostgreSQL databaseURL), and waits until it listens. The process
// is killed when t ends, if it still runs.
func startServe(t *testing.T, bin, databaseURL, dataDir string, env ...string) *serveProcess {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data", dataDir)
	cmd.Env = append(os.Environ(), "DATABASE_URL=")
	if strings.HasPrefix(databaseURL, "postgres") {
		cmd.Env = append(cmd.Env, "DATABASE_URL="+databaseURL)
	}
	cmd.Env = append(cmd.Env, env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &serveProcess{cmd: cmd, stdout: &bytes.Buffer{}}
	cmd.Stdout = p.stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if !p.exited {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	// The server logs one JSON line "listening" with its address once it
	// accepts connections.
	lines := bufio.NewScanner(stderr)
	var addr string
	for addr == "" && lines.Scan() {
		var entry struct{ Msg, Addr string }
		if json.Unmarshal(lines.Bytes(), &entry) == nil && entry.Msg == "listening" {
			addr = entry.Addr
		}
	}
	if addr == "" {
		t.Fatalf("server exited before listening: %v", lines.Err())
	}
	go func() { _, _ = io.Copy(io.Discard, stderr) }()
	p.base = "http://" + addr
	return p
}

// kill ends the process with SIGKILL, as a crash would.
func (p *serveProcess) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = p.cmd.Wait()
	p.exited = true
}

// gql posts a GraphQL query with key and decodes the response.
func (p *serveProcess) gql(t *testing.T, key, query string, vars map[string]any) map[string]any {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, p.base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestServeBinary builds the real binary and runs `provgraph serve` as a
// process: health check, the admin key from PROVGRAPH_ADMIN_KEY, a
// collection created and listed over GraphQL, and a clean exit on SIGTERM.
func TestServeBinary(t *testing.T) {
	bin := buildBinary(t)
	dbtest.Run(t, func(t *testing.T, databaseURL string) {
		p := startServe(t, bin, databaseURL, filepath.Join(t.TempDir(), "data"), "PROVGRAPH_ADMIN_KEY=k")
		cmd, base := p.cmd, p.base

		res, err := http.Get(base + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("/healthz: %s", res.Status)
		}

		gql := func(key, query string) map[string]any {
			t.Helper()
			return p.gql(t, key, query, nil)
		}
		created := gql("k", `mutation { createCollection(input: {name: "a", description: "b"}) { id name } }`)
		if created["errors"] != nil {
			t.Fatalf("createCollection: %v", created)
		}
		list := gql("k", `{ collections(first: 10) { totalCount edges { node { id name } } } }`)
		data, _ := list["data"].(map[string]any)
		colls, _ := data["collections"].(map[string]any)
		if colls["totalCount"] != float64(1) {
			t.Fatalf("collections: %v", list)
		}
		denied := gql("not-the-key", `{ collections(first: 10) { totalCount } }`)
		errs, _ := denied["errors"].([]any)
		if len(errs) == 0 || !strings.Contains(strings.ToUpper(mustJSON(t, errs[0])), "UNAUTHENTICATED") {
			t.Fatalf("wrong key: %v", denied)
		}

		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		err = cmd.Wait()
		p.exited = true
		if err != nil {
			t.Fatalf("after SIGTERM: %v", err)
		}
		if !strings.Contains(p.stdout.String(), "PROVGRAPH_ADMIN_KEY") {
			t.Errorf("stdout does not mention the admin key source: %q", p.stdout.String())
		}
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
