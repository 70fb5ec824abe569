package server

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"

	"provgraph/apierror"
)

// guardUploads fronts the GraphQL multipart transport. A request announcing
// a body over limit is answered at once with FILE_TOO_LARGE in GraphQL's
// error shape (gqlgen's own answer carries no code). A request of unknown
// length (chunked) is made to announce limit, so that gqlgen spools its
// files to temporary files: it keeps a request's files in memory when its
// Content-Length is below MaxMemory, and -1 counts as below. The body
// itself stays capped by withBodyLimit.
func guardUploads(limit int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !isMultipart(r) {
			next.ServeHTTP(w, r)
			return
		}
		switch {
		case r.ContentLength > limit:
			err := fmt.Errorf("%w: the request body of %d bytes exceeds the limit of %d", apierror.ErrFileTooLarge, r.ContentLength, limit)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{
				"message":    apierror.Message(err),
				"extensions": map[string]any{"code": string(apierror.CodeOf(err))},
			}}})
			return
		case r.ContentLength < 0:
			r = r.WithContext(r.Context())
			r.ContentLength = limit
		}
		next.ServeHTTP(w, r)
	})
}

// isMultipart reports whether r is a multipart/form-data request.
func isMultipart(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "multipart/form-data"
}
