package openapi_test

import (
	"strings"
	"testing"

	"provgraph/rest/openapi"
)

func TestMerge(t *testing.T) {
	a := `{"openapi":"3.1.0","paths":{"/a/x":{}},"components":{"schemas":{"AThing":{"type":"string"}}}}`
	b := `{"openapi":"3.1.0","paths":{"/b/x":{}},"components":{"schemas":{"BThing":{"type":"integer"}}}}`
	tests := []struct {
		name    string
		docs    []string
		paths   string
		wantErr string
	}{
		{"two apart", []string{a, b}, "/a/x,/b/x", ""},
		{"same path twice", []string{a, a}, "", "path /a/x is defined twice"},
		{"same component twice", []string{a, strings.Replace(a, "/a/x", "/c/x", 1)}, "", "component schemas/AThing"},
		{"not 3.1", []string{`{"openapi":"3.0.3","paths":{}}`}, "", "want 3.1"},
		{"not JSON", []string{`openapi: 3.1.0`}, "", "document 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs := make([][]byte, len(tt.docs))
			for i, d := range tt.docs {
				docs[i] = []byte(d)
			}
			out, err := openapi.Merge(openapi.Info{Title: "t", Version: "1"}, docs...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			paths, err := openapi.Paths(out)
			if err != nil || strings.Join(paths, ",") != tt.paths {
				t.Fatalf("paths %v (%v), want %s", paths, err, tt.paths)
			}
			if !strings.Contains(string(out), `"BThing"`) {
				t.Fatalf("merged document lost a component: %s", out)
			}
		})
	}
}

func TestCheckOwn(t *testing.T) {
	tests := []struct {
		name, doc, wantErr string
	}{
		{"its own", `{"paths":{"/a/api/x":{}},"components":{"schemas":{"AThing":{}}}}`, ""},
		{"a path outside", `{"paths":{"/b/x":{}}}`, "path /b/x is not under /a/api/"},
		{"a component of another name", `{"components":{"responses":{"Error":{}}}}`, "component responses/Error is not named A…"},
		{"not JSON", `paths:`, "openapi:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := openapi.CheckOwn([]byte(tt.doc), "/a/api/", "A")
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
}
