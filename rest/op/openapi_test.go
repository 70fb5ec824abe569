package op_test

import (
	"encoding/json"
	"strings"
	"testing"

	"provgraph/internal/openapitest"
	"provgraph/rest/op"
)

// TestOpenAPI checks that the document builds and keeps to its part of the
// merged document: every path under the mount prefix, every component
// named Op….
func TestOpenAPI(t *testing.T) {
	openapitest.New(t, op.OpenAPI())
	var doc struct {
		Paths      map[string]json.RawMessage            `json:"paths"`
		Components map[string]map[string]json.RawMessage `json:"components"`
	}
	if err := json.Unmarshal(op.OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	wantPaths := []string{"/health", "/sign", "/download/{id}", "/verify", "/trust/{verifyId}", "/badge/{verifyId}",
		"/batch/verify", "/batch/sign", "/batch/{batchId}", "/webhooks", "/webhooks/{id}"}
	for _, p := range wantPaths {
		if _, ok := doc.Paths[op.Prefix+p]; !ok {
			t.Errorf("path %s%s is not documented", op.Prefix, p)
		}
	}
	for p := range doc.Paths {
		if !strings.HasPrefix(p, op.Prefix+"/") {
			t.Errorf("path %s is outside %s", p, op.Prefix)
		}
	}
	for kind, entries := range doc.Components {
		for name := range entries {
			if !strings.HasPrefix(name, "Op") {
				t.Errorf("component %s/%s is not named Op…", kind, name)
			}
		}
	}
}
