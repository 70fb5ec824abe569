package web

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"provgraph/accounts"
	"provgraph/quota"
	"provgraph/verifications"
)

// The pages' templates and static files, embedded so that the binary is
// all a deployment needs.
//
//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// contentSecurityPolicy allows the pages only their own origin: no inline
// script or style, no third-party request, no framing. Thumbnails of
// uploads are shown as data: URLs, as they are not kept.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"

// Deps are the services the pages read from.
type Deps struct {
	// Verifications reads and creates verifications.
	Verifications *verifications.Service
	// Accounts gives anonymous uploads their account.
	Accounts *accounts.Service
	// Quota counts anonymous uploads per client address; nil counts none.
	Quota *quota.Service
	// Logger receives internal errors.
	Logger *slog.Logger
}

// Options are the limits of the pages.
type Options struct {
	// MaxFileBytes is the largest file the upload form accepts; zero
	// means DefaultMaxFileBytes.
	MaxFileBytes int64
	// AnonymousPerMinute and AnonymousPerDay cap the files one client
	// address may check without an API key; zero means no cap.
	AnonymousPerMinute int
	AnonymousPerDay    int
}

// Defaults of Options.
const (
	DefaultMaxFileBytes       = 50 << 20
	DefaultAnonymousPerMinute = 10
	DefaultAnonymousPerDay    = 500
)

// Site is the set of public pages.
type Site struct {
	d     Deps
	o     Options
	pages map[string]*template.Template
}

// New returns the pages over d. It panics if the embedded templates do not
// parse, which a test of this package catches.
func New(d Deps, o Options) *Site {
	if o.MaxFileBytes <= 0 {
		o.MaxFileBytes = DefaultMaxFileBytes
	}
	return &Site{d: d, o: o, pages: parsePages()}
}

// Register mounts the pages on mux:
//
//	GET  /verify                    the upload form
//	POST /verify                    check a file (multipart field "file")
//	GET  /verify/{id}               the public record of a verification
//	GET  /verify/{id}/report.json   its raw c2pa-rs-shaped report
//	GET  /verify/{id}/thumbnail     its claim thumbnail, when kept
//	GET  /jobs/{id}                 the live view of a job (key in the browser)
//	GET  /web/                      the pages' CSS and JavaScript
func (s *Site) Register(mux *http.ServeMux) {
	mux.Handle("GET /verify", http.HandlerFunc(s.uploadForm))
	mux.Handle("POST /verify", http.HandlerFunc(s.upload))
	mux.Handle("GET /verify/{id}", http.HandlerFunc(s.record))
	mux.Handle("GET /verify/{id}/report.json", http.HandlerFunc(s.report))
	mux.Handle("GET /verify/{id}/thumbnail", http.HandlerFunc(s.thumbnail))
	mux.Handle("GET /jobs/{id}", http.HandlerFunc(s.job))
	mux.Handle("GET /web/", staticFiles())
}

// parsePages parses each page template together with the shared layout.
func parsePages() map[string]*template.Template {
	funcs := template.FuncMap{
		"bytes":    humanBytes,
		"code":     breakable,
		"datetime": func(t time.Time) string { return t.UTC().Format("2 January 2006, 15:04:05 UTC") },
		"iso":      func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	}
	pages := map[string]*template.Template{}
	for _, name := range []string{"record", "upload", "job", "message"} {
		pages[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(templateFS,
			"templates/layout.html", "templates/parts.html", "templates/"+name+".html"))
	}
	return pages
}

// breakable writes a dotted name (a status code) with a line-break
// opportunity after each dot, so that narrow columns wrap it at the dots.
func breakable(s string) template.HTML {
	parts := strings.Split(s, ".")
	for i, p := range parts {
		parts[i] = template.HTMLEscapeString(p)
	}
	return template.HTML(strings.Join(parts, ".<wbr>"))
}

// staticFiles serves the embedded CSS and JavaScript under /web/.
func staticFiles() http.Handler {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	files := http.StripPrefix("/web/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setSecurityHeaders(w.Header())
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}

// setSecurityHeaders sets the headers every page response carries.
func setSecurityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
}

// page is what the layout needs besides the page's own data.
type page struct {
	// Title is the document title, before " · provgraph".
	Title string
	// Script is the page's script under /web/, if any.
	Script string
	// Data is the page's own data.
	Data any
}

// render writes the page name with status, or a plain 500 when the
// template fails (it is executed into a buffer first, so a failure never
// leaves half a page).
func (s *Site) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		s.d.Logger.ErrorContext(r.Context(), "web: rendering page", slog.String("page", name), slog.String("error", err.Error()))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	setSecurityHeaders(h)
	h.Set("Content-Type", "text/html; charset=utf-8")
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-store")
	}
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// message is the data of a page that only says something: not found,
// too large, too many requests, an internal error.
type message struct {
	Heading string
	Text    string
	// Retry, when set, is how long to wait before trying again.
	Retry string
}

// fail renders a message page with status.
func (s *Site) fail(w http.ResponseWriter, r *http.Request, status int, m message) {
	s.render(w, r, status, "message", page{Title: m.Heading, Data: m})
}

// internalError logs err and renders a generic error page.
func (s *Site) internalError(w http.ResponseWriter, r *http.Request, what string, err error) {
	s.d.Logger.ErrorContext(r.Context(), "web: "+what, slog.String("error", err.Error()))
	s.fail(w, r, http.StatusInternalServerError, message{
		Heading: "Something went wrong",
		Text:    "The server could not complete this request. Please try again in a moment.",
	})
}
