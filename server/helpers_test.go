package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"provgraph/config"
	"provgraph/server"
)

// adminKey is the PROVGRAPH_ADMIN_KEY of every test server.
const adminKey = "test-admin-key"

// newTestServer assembles a server over a fresh database at databaseURL
// and serves it on a real listener.
func newTestServer(t *testing.T, databaseURL string, opts ...server.OpenOption) (*server.App, *httptest.Server) {
	t.Helper()
	return newTestServerWith(t, databaseURL, func(*config.Config) {}, opts...)
}

// newTestServerWith is newTestServer with the configuration adjusted by
// edit first.
func newTestServerWith(t *testing.T, databaseURL string, edit func(*config.Config), opts ...server.OpenOption) (*server.App, *httptest.Server) {
	t.Helper()
	app, srv := newInstance(t, databaseURL, edit, opts...)
	if app.AdminKey != adminKey {
		t.Fatalf("admin key = %q, want the configured %q", app.AdminKey, adminKey)
	}
	return app, srv
}

// newInstance starts a server instance over the database at databaseURL,
// which other instances may share, with its workers running.
func newInstance(t testing.TB, databaseURL string, edit func(*config.Config), opts ...server.OpenOption) (*server.App, *httptest.Server) {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.DatabaseURL = databaseURL
	cfg.AdminKey = adminKey
	cfg.RateLimit = 0 // tests that want a limit set one
	edit(&cfg)
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	app, err := server.Open(context.Background(), cfg, log, opts...)
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Start(context.Background()); err != nil {
		_ = app.Close()
		t.Fatal(err)
	}
	srv := httptest.NewServer(app.Handler)
	t.Cleanup(func() {
		srv.Close()
		if err := app.Close(); err != nil {
			t.Errorf("closing app: %v", err)
		}
	})
	return app, srv
}

// gqlError is one entry of a GraphQL response's errors.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// gqlResponse is a GraphQL response with its data left raw.
type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

// code returns the extensions.code of the first error, or "".
func (r gqlResponse) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// post sends a GraphQL request over HTTP with key as its bearer token (none
// when key is empty) and decodes the response.
func post(t testing.TB, srv *httptest.Server, key, query string, vars map[string]any) gqlResponse {
	t.Helper()
	res, err := tryPost(srv, key, query, vars)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// tryPost is post for goroutines other than the test's: it returns its
// error instead of failing the test.
func tryPost(srv *httptest.Server, key, query string, vars map[string]any) (gqlResponse, error) {
	var out gqlResponse
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return out, err
	}
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/graphql", bytes.NewReader(body))
	if err != nil {
		return out, err
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		return out, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return out, err
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return out, fmt.Errorf("response is not GraphQL JSON (%s): %s", res.Status, raw)
	}
	return out, nil
}

// mustData posts and fails the test on any error, decoding data into v.
func mustData(t testing.TB, srv *httptest.Server, key, query string, vars map[string]any, v any) {
	t.Helper()
	res := post(t, srv, key, query, vars)
	if len(res.Errors) > 0 {
		t.Fatalf("query %q failed: %+v", query, res.Errors)
	}
	if err := json.Unmarshal(res.Data, v); err != nil {
		t.Fatalf("decoding %s: %v", res.Data, err)
	}
}

// waitSubscribers waits until app's instance has at least n live event
// subscriptions.
func waitSubscribers(t testing.TB, app *server.App, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); app.Deps.Events.Subscribers() < n; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d live subscriptions after 10 s, want %d", app.Deps.Events.Subscribers(), n)
		}
	}
}
