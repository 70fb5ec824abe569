package openapi

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/http"
	"time"
)

// The paths Handler serves.
const (
	// DocumentPath is the merged OpenAPI document.
	DocumentPath = "/openapi.json"
	// PagePath is the browsable page of the document; its style sheet is
	// beside it, at PagePath + "docs.css".
	PagePath = "/api-docs/"
)

// pageCSP confines the page to its own origin: it has no script, and its
// only style sheet is served with it.
const pageCSP = "default-src 'self'"

//go:embed page.html
var pageTemplate string

//go:embed docs.css
var pageCSS []byte

var pageTmpl = template.Must(template.New("page").Parse(pageTemplate))

// Handler merges docs (see Merge) under info and serves
//
//	GET /openapi.json        the merged document
//	GET /api-docs/           a page listing every operation of it, by API
//	GET /api-docs/docs.css   the page's style sheet
//
// Every response is built once, here, and carries an ETag, so that
// clients and caches can revalidate it cheaply.
func Handler(info Info, docs ...[]byte) (http.Handler, error) {
	merged, err := Merge(info, docs...)
	if err != nil {
		return nil, err
	}
	p, err := pageOf(merged)
	if err != nil {
		return nil, err
	}
	var html bytes.Buffer
	if err := pageTmpl.Execute(&html, p); err != nil {
		return nil, fmt.Errorf("openapi: rendering the page: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET "+DocumentPath, static(merged, "application/json", nil))
	mux.Handle("GET "+PagePath+"{$}", static(html.Bytes(), "text/html; charset=utf-8", map[string]string{
		"Content-Security-Policy": pageCSP,
	}))
	mux.Handle("GET "+PagePath+"docs.css", static(pageCSS, "text/css; charset=utf-8", nil))
	return mux, nil
}

// static serves body, fixed at start, with its content type, extra
// headers and an ETag; a matching If-None-Match gets 304.
func static(body []byte, contentType string, headers map[string]string) http.Handler {
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", contentType)
		h.Set("Cache-Control", "public, max-age=300")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("ETag", etag)
		for k, v := range headers {
			h.Set(k, v)
		}
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
	})
}
