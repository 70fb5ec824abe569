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

// TestServeBinary builds the real binary and runs `provgraph serve` as a
// process: health check, the admin key from PROVGRAPH_ADMIN_KEY, a
// collection created and listed over GraphQL, and a clean exit on SIGTERM.
func TestServeBinary(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "provgraph")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dbtest.Run(t, func(t *testing.T, databaseURL string) {
		dir := t.TempDir()
		cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data", filepath.Join(dir, "data"))
		cmd.Env = append(os.Environ(), "PROVGRAPH_ADMIN_KEY=k", "DATABASE_URL=")
		if strings.HasPrefix(databaseURL, "postgres") {
			cmd.Env = append(cmd.Env, "DATABASE_URL="+databaseURL)
		}
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stdout bytes.Buffer
		cmd.Stdout = &stdout
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := false
		t.Cleanup(func() {
			if !exited {
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
			}
		})

		// The server logs one JSON line "listening" with its address once
		// it accepts connections.
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
		base := "http://" + addr

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
			body, _ := json.Marshal(map[string]string{"query": query})
			req, _ := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
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
		exited = true
		if err != nil {
			t.Fatalf("after SIGTERM: %v", err)
		}
		if !strings.Contains(stdout.String(), "PROVGRAPH_ADMIN_KEY") {
			t.Errorf("stdout does not mention the admin key source: %q", stdout.String())
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
