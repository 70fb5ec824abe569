package server

import (
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"

	"provgraph/download"
	"provgraph/storage"
)

// downloadHandler serves GET /download/{token}: the blob a download token
// grants, streamed from storage. A forged or mangled token is 404, an
// expired one 410 Gone; the token is the only credential, so the route
// needs no API key.
func downloadHandler(signer *download.Signer, store *storage.Store, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g, err := signer.Check(r.PathValue("token"))
		switch {
		case errors.Is(err, download.ErrExpired):
			http.Error(w, "this download link has expired; ask for a new one", http.StatusGone)
			return
		case err != nil:
			http.NotFound(w, r)
			return
		}
		ctx := r.Context()
		size, err := store.Size(ctx, g.Key)
		if errors.Is(err, storage.ErrNotFound) {
			http.NotFound(w, r)
			return
		}
		if err != nil {
			log.ErrorContext(ctx, "download: sizing blob", slog.String("request_id", RequestID(ctx)), slog.String("error", err.Error()))
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		body, err := store.Get(ctx, g.Key)
		if err != nil {
			log.ErrorContext(ctx, "download: opening blob", slog.String("request_id", RequestID(ctx)), slog.String("error", err.Error()))
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		defer body.Close()
		h := w.Header()
		h.Set("Content-Type", g.ContentType)
		h.Set("Content-Length", strconv.FormatInt(size, 10))
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": g.FileName}))
		h.Set("Cache-Control", "private, no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		if _, err := io.Copy(w, body); err != nil {
			log.WarnContext(ctx, "download: streaming", slog.String("request_id", RequestID(ctx)), slog.String("error", err.Error()))
		}
	})
}
