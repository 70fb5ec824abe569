package server

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"provgraph/verifications"
)

// badgeHandler serves GET /badge/{file}, file being <verifyId>.svg, .html
// or .json, with ?theme=light|dark&size=sm|md|lg. It is public: the
// unguessable verification id is the only credential. An unknown or
// expired id is 404, a bad option 400.
func badgeHandler(v *verifications.Service, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		file := r.PathValue("file")
		dot := strings.LastIndexByte(file, '.')
		if dot <= 0 {
			http.NotFound(w, r)
			return
		}
		id, format := file[:dot], file[dot+1:]
		if format != "svg" && format != "html" && format != "json" {
			http.NotFound(w, r)
			return
		}
		q := r.URL.Query()
		opts, err := verifications.BadgeOptions(q.Get("theme"), q.Get("size"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		ctx := r.Context()
		rec, err := v.GetPublic(ctx, id)
		if errors.Is(err, verifications.ErrNotFound) {
			http.NotFound(w, r)
			return
		}
		if err != nil {
			log.ErrorContext(ctx, "badge: loading verification", slog.String("request_id", RequestID(ctx)), slog.String("error", err.Error()))
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		b := v.Badge(rec)
		h := w.Header()
		h.Set("Cache-Control", "public, max-age=300")
		h.Set("X-Content-Type-Options", "nosniff")
		switch format {
		case "svg":
			h.Set("Content-Type", "image/svg+xml")
			_, _ = w.Write([]byte(b.SVG(opts)))
		case "html":
			h.Set("Content-Type", "text/html; charset=utf-8")
			svgURL := b.SVGURL
			if r.URL.RawQuery != "" {
				svgURL += "?" + r.URL.RawQuery
			}
			_, _ = w.Write([]byte(b.HTML(svgURL)))
		default:
			h.Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(b)
		}
	})
}
