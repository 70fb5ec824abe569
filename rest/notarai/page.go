package notarai

import (
	"net/http"
	"strconv"
)

// Page sizes of the lists.
const (
	defaultLimit = 20
	maxLimit     = 100
)

// page is the limit and offset of a list request.
type page struct {
	limit, offset int
}

// pageOf reads ?limit= (1–100, default 20) and ?offset= (default 0).
func pageOf(r *http.Request) (page, error) {
	p := page{limit: defaultLimit}
	q := r.URL.Query()
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLimit {
			return page{}, invalidField("limit", "must be an integer from 1 to 100")
		}
		p.limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return page{}, invalidField("offset", "must be a non-negative integer")
		}
		p.offset = n
	}
	return p, nil
}
