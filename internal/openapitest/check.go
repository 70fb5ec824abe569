package openapitest

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
)

// Checker validates responses against one document. It is safe for
// concurrent use.
type Checker struct {
	mu sync.Mutex
	v  validator.Validator
	n  int // responses checked
}

// New parses doc (OpenAPI 3.1, JSON or YAML) and fails t if it does not
// build.
func New(t testing.TB, doc []byte) *Checker {
	t.Helper()
	d, err := libopenapi.NewDocument(doc)
	if err != nil {
		t.Fatalf("openapitest: parsing the document: %v", err)
	}
	v, errs := validator.NewValidator(d)
	if len(errs) > 0 {
		t.Fatalf("openapitest: building the validator: %v", errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		var msgs []string
		for _, e := range verrs {
			msgs = append(msgs, e.Message)
		}
		t.Fatalf("openapitest: the document is not valid OpenAPI: %s", strings.Join(msgs, "; "))
	}
	return &Checker{v: v}
}

// Check fails t unless res (whose body is body, already read) is a
// response the document allows for req: a documented path, method and
// status, with a body of the documented schema and the required headers.
func (c *Checker) Check(t testing.TB, req *http.Request, res *http.Response, body []byte) {
	t.Helper()
	res.Body = io.NopCloser(bytes.NewReader(body))
	c.mu.Lock()
	ok, verrs := c.v.ValidateHttpResponse(req, res)
	c.n++
	c.mu.Unlock()
	res.Body = io.NopCloser(bytes.NewReader(body))
	if ok {
		return
	}
	var msgs []string
	for _, e := range verrs {
		m := e.Message
		if e.Reason != "" {
			m += ": " + e.Reason
		}
		for _, se := range e.SchemaValidationErrors {
			m += " [" + se.FieldPath + ": " + se.Reason + "]"
		}
		msgs = append(msgs, m)
	}
	t.Errorf("openapitest: %s %s → %d does not match the document:\n  %s\n  body: %.500s",
		req.Method, req.URL.Path, res.StatusCode, strings.Join(msgs, "\n  "), body)
}

// Do sends req with client, reads the whole response, checks it and
// returns it with its body.
func (c *Checker) Do(t testing.TB, client *http.Client, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("openapitest: %s %s: %v", req.Method, req.URL, err)
	}
	body, err := io.ReadAll(res.Body)
	_ = res.Body.Close()
	if err != nil {
		t.Fatalf("openapitest: reading %s %s: %v", req.Method, req.URL, err)
	}
	c.Check(t, req, res, body)
	return res, body
}

// Checked is how many responses were checked, for a test to assert that
// its suite went through the checker.
func (c *Checker) Checked() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}
