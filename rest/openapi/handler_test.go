package openapi_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"provgraph/internal/openapitest"
	"provgraph/rest/numbers"
	"provgraph/rest/openapi"
)

// other is a second API's document, with a path parameter given by
// reference and a response given by reference, as documents write them.
const other = `{
  "openapi": "3.1.0",
  "info": {"title": "other", "version": "1"},
  "paths": {
    "/other/api/v1/things/{id}": {
      "parameters": [{"$ref": "#/components/parameters/OtherID"}],
      "get": {
        "summary": "Read a <thing>",
        "responses": {"200": {"$ref": "#/components/responses/OtherThing"}}
      }
    }
  },
  "components": {
    "parameters": {"OtherID": {"name": "id", "in": "path", "required": true, "description": "The thing's ID.", "schema": {"type": "string"}}},
    "responses": {"OtherThing": {"description": "The thing.", "content": {"application/json": {"schema": {"type": "object"}}}}}
  }
}`

func fetch(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

func TestHandler(t *testing.T) {
	h, err := openapi.Handler(openapi.Info{Title: "provgraph REST APIs", Version: "test"}, numbers.OpenAPI(), []byte(other))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	req, _ := http.NewRequest(http.MethodGet, srv.URL+openapi.DocumentPath, nil)
	res, doc := fetch(t, req)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET %s: %d %s", openapi.DocumentPath, res.StatusCode, res.Header.Get("Content-Type"))
	}
	openapitest.New(t, []byte(doc)) // the merged document is valid OpenAPI 3.1
	paths, err := openapi.Paths([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/numbers/api/v3/nid", "/numbers/api/v3/assets/", "/numbers/api/v3/assets/{nid}/c2pa/", "/other/api/v1/things/{id}"} {
		if !slices.Contains(paths, p) {
			t.Errorf("merged document lacks %s: %v", p, paths)
		}
	}
	etag := res.Header.Get("ETag")
	if etag == "" || !strings.Contains(res.Header.Get("Cache-Control"), "max-age") {
		t.Errorf("document not cacheable: ETag %q, Cache-Control %q", etag, res.Header.Get("Cache-Control"))
	}
	req.Header.Set("If-None-Match", etag)
	if res, _ := fetch(t, req); res.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation: %d, want 304", res.StatusCode)
	}

	req, _ = http.NewRequest(http.MethodGet, srv.URL+openapi.PagePath, nil)
	res, page := fetch(t, req)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("GET %s: %d %s", openapi.PagePath, res.StatusCode, res.Header.Get("Content-Type"))
	}
	if csp := res.Header.Get("Content-Security-Policy"); csp != "default-src 'self'" {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	for _, want := range []string{
		`<h2>numbers <code>/numbers/api/v3/</code></h2>`,
		`<h2>other <code>/other/api/v1/things/</code></h2>`,
		`<span class="method method-POST">POST</span> <code>/numbers/api/v3/assets/{nid}/c2pa/</code>`,
		`<p class="summary">Get Nid from file</p>`,
		`<p class="summary">Read a &lt;thing&gt;</p>`,
		`<td><code>id</code></td><td>path</td><td>string</td><td>yes</td><td>The thing&#39;s ID.</td>`,
		`<td><code>429</code></td><td>Throttled`,
		`<td><code>200</code></td><td>The thing.</td>`,
		`<li><code>multipart/form-data</code></li>`,
		`<link rel="stylesheet" href="docs.css">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(page, "<script") || strings.Contains(page, "style=") || strings.Contains(page, "<style") {
		t.Error("page has inline script or style")
	}

	req, _ = http.NewRequest(http.MethodGet, srv.URL+openapi.PagePath+"docs.css", nil)
	if res, css := fetch(t, req); res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/css; charset=utf-8" || !strings.Contains(css, ".operation") {
		t.Errorf("GET docs.css: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
}

func TestHandlerRefusesClashes(t *testing.T) {
	if _, err := openapi.Handler(openapi.Info{Title: "t", Version: "1"}, numbers.OpenAPI(), numbers.OpenAPI()); err == nil || !strings.Contains(err.Error(), "defined twice") {
		t.Fatalf("err = %v, want a clash", err)
	}
}
