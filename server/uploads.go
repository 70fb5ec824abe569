package server

import (
	"mime"
	"net/http"
)

// spoolUnknownLength makes the GraphQL multipart transport spool the files
// of a request of unknown length (chunked) to temporary files. gqlgen keeps
// a request's files in memory when its Content-Length is below MaxMemory,
// and an unknown length (-1) counts as below: announcing the body limit
// instead keeps memory bounded by MaxMemory whatever the client sends. The
// body itself stays capped by withBodyLimit.
func spoolUnknownLength(limit int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength < 0 && r.Method == http.MethodPost {
			if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && mt == "multipart/form-data" {
				r = r.WithContext(r.Context())
				r.ContentLength = limit
			}
		}
		next.ServeHTTP(w, r)
	})
}
