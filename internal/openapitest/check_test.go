package openapitest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"provgraph/internal/openapitest"
)

const doc = `{
  "openapi": "3.1.0",
  "info": {"title": "t", "version": "1"},
  "paths": {
    "/thing/{id}": {
      "get": {
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {
          "200": {"description": "ok", "content": {"application/json": {"schema": {
            "type": "object", "required": ["ok", "n"], "additionalProperties": false,
            "properties": {"ok": {"type": "boolean"}, "n": {"type": "integer"}}}}}},
          "404": {"description": "missing", "content": {"application/json": {"schema": {
            "type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}}}}
        }
      }
    }
  }
}`

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Errorf(format string, args ...any) {
	r.failed = true
	_ = fmt.Sprintf(format, args...)
}
func (r *recorder) Helper() {}

func TestCheck(t *testing.T) {
	bodies := map[string]struct {
		status int
		body   string
	}{
		"good":                {200, `{"ok": true, "n": 3}`},
		"wrong-type":          {200, `{"ok": "yes", "n": 3}`},
		"extra-field":         {200, `{"ok": true, "n": 3, "x": 1}`},
		"missing":             {404, `{"error": "no"}`},
		"undocumented-status": {500, `{"error": "boom"}`},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := bodies[r.PathValue("id")]
		if b.status == 0 {
			b = bodies[r.URL.Path[len("/thing/"):]]
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(b.status)
		_, _ = w.Write([]byte(b.body))
	}))
	defer srv.Close()
	c := openapitest.New(t, []byte(doc))
	tests := []struct {
		id     string
		wantOK bool
	}{
		{"good", true},
		{"missing", true},
		{"wrong-type", false},
		{"extra-field", false},
		{"undocumented-status", false},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			rec := &recorder{TB: t}
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/thing/"+tt.id, nil)
			res, _ := c.Do(rec, http.DefaultClient, req)
			if res.StatusCode != bodies[tt.id].status {
				t.Fatalf("status %d", res.StatusCode)
			}
			if rec.failed == tt.wantOK {
				t.Fatalf("check failed = %v, want %v", rec.failed, !tt.wantOK)
			}
		})
	}
	if c.Checked() != len(tests) {
		t.Fatalf("checked %d responses", c.Checked())
	}
}
