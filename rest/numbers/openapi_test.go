package numbers_test

import (
	"testing"

	"provgraph/internal/openapitest"
	"provgraph/rest/numbers"
	"provgraph/rest/openapi"
)

// TestOpenAPI checks that the document is valid OpenAPI 3.1, documents
// the three routes, and keeps to its share of the merged document.
func TestOpenAPI(t *testing.T) {
	doc := numbers.OpenAPI()
	openapitest.New(t, doc)
	if err := openapi.CheckOwn(doc, numbers.Prefix+"/", "Numbers"); err != nil {
		t.Error(err)
	}
	paths, err := openapi.Paths(doc)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{numbers.Prefix + "/assets/", numbers.Prefix + "/assets/{nid}/c2pa/", numbers.Prefix + "/nid"}
	if len(paths) != len(want) {
		t.Fatalf("paths %v, want %v", paths, want)
	}
	for i := range want {
		if paths[i] != want[i] {
			t.Errorf("paths %v, want %v", paths, want)
		}
	}
}
