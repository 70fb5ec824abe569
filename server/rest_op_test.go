package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"provgraph/c2pa/devsigner"
	"provgraph/config"
	"provgraph/db/dbtest"
	"provgraph/download"
	"provgraph/ent/account"
	"provgraph/ent/schema/tenant"
	"provgraph/internal/openapitest"
	"provgraph/rest/op"
	"provgraph/server"
)

// opPublicURL is the PublicURL of the OP test servers: the API's links
// must be built on it, and the tests follow them to the listener.
const opPublicURL = "http://op.example"

// newOPServer starts a server trusting the development signer's root
// (returned), with cfg adjusted by edit.
func newOPServer(t *testing.T, databaseURL string, edit func(*config.Config)) (*server.App, *httptest.Server, string) {
	t.Helper()
	var root string
	app, srv := newInstance(t, databaseURL, func(c *config.Config) {
		ds, err := devsigner.Dev(c.DataDir)
		if err != nil {
			t.Fatal(err)
		}
		root, c.TrustAnchors, c.PublicURL = ds.RootPath, ds.RootPath, opPublicURL
		edit(c)
	})
	return app, srv, root
}

// unlimitedOP lifts the anonymous tier's limits, for the tests of the
// routes themselves (every anonymous call of a test shares 127.0.0.1).
func unlimitedOP(c *config.Config) {
	c.OP.AnonRequestsPerMinute, c.OP.AnonSignsPerDay, c.OP.AnonVerifiesPerDay = 0, 0, 0
	c.OP.KeyRequestsPerMinute = 0
	c.OutboundAllow = "127.0.0.1"
	c.WebhookBackoff = 20 * time.Millisecond
}

// opFile is one file of a multipart request.
type opFile struct {
	field, name string
	data        []byte
}

// opAPI sends the OP API's requests, validating every response against
// its OpenAPI document.
type opAPI struct {
	srv *httptest.Server
	oa  *openapitest.Checker
}

func newOPAPI(t *testing.T, srv *httptest.Server) *opAPI {
	return &opAPI{srv: srv, oa: openapitest.New(t, op.OpenAPI())}
}

// opResponse is a response with its body and, for JSON, its envelope.
type opResponse struct {
	res  *http.Response
	raw  []byte
	body map[string]any
}

// data is the envelope's data object.
func (r opResponse) data() map[string]any {
	d, _ := r.body["data"].(map[string]any)
	return d
}

// errCode is the envelope's error code.
func (r opResponse) errCode() string {
	e, _ := r.body["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

// do sends a request to path (under /op/api/v1, or an absolute URL).
func (a *opAPI) do(t *testing.T, method, path, key string, body io.Reader, contentType string) opResponse {
	t.Helper()
	u := a.srv.URL + op.Prefix + path
	if link, ok := strings.CutPrefix(path, opPublicURL); ok {
		u = a.srv.URL + link
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if key != "" {
		req.Header.Set(op.HeaderAPIKey, key)
	}
	res, raw := a.oa.Do(t, a.srv.Client(), req)
	out := opResponse{res: res, raw: raw}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &out.body); err != nil {
			t.Fatalf("%s %s: %v: %s", method, path, err, raw)
		}
		if ok, _ := out.body["ok"].(bool); ok != (res.StatusCode < 300) {
			t.Errorf("%s %s → %d with ok %v", method, path, res.StatusCode, out.body["ok"])
		}
	}
	return out
}

// upload posts files as multipart/form-data, as curl -F does.
func (a *opAPI) upload(t *testing.T, path, key string, files ...opFile) opResponse {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range files {
		w, err := mw.CreateFormFile(f.field, f.name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(f.data)
	}
	_ = mw.Close()
	return a.do(t, http.MethodPost, path, key, &buf, mw.FormDataContentType())
}

// wantError checks a response in the error envelope.
func wantError(t *testing.T, what string, r opResponse, status int, code string) {
	t.Helper()
	if r.res.StatusCode != status || r.errCode() != code {
		t.Errorf("%s → %d %q, want %d %q: %s", what, r.res.StatusCode, r.errCode(), status, code, r.raw)
	}
}

// opKey creates a key with scopes in a new account (or accountID when
// not zero) and returns it.
func opKey(t *testing.T, app *server.App, accountID int, scopes ...tenant.Scope) string {
	t.Helper()
	ctx := context.Background()
	if accountID == 0 {
		a, err := app.Deps.Accounts.CreateAccount(ctx, "op client", account.PlanStarter)
		if err != nil {
			t.Fatal(err)
		}
		accountID = a.ID
	}
	_, key, err := app.Deps.Accounts.CreateKeyFor(ctx, accountID, "op", scopes, "")
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// TestOPSignAndVerify drives sign, download, verify, trust and badge as
// the documented curl examples do, anonymously and with a key, and every
// error of those routes.
func TestOPSignAndVerify(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		app, srv, root := newOPServer(t, url, func(c *config.Config) {
			unlimitedOP(c)
			c.MaxFileBytes = 256 << 10
		})
		api := newOPAPI(t, srv)
		photo := bigJPEG(t, 64, 48)
		key := opKey(t, app, adminAccountID(t, app), tenant.ScopeSign, tenant.ScopeVerifyRead)

		h := api.do(t, http.MethodGet, "/health", "", nil, "")
		if h.res.StatusCode != http.StatusOK || h.data()["status"] != "ok" || h.data()["apiVersion"] != "v1" {
			t.Fatalf("health: %d %s", h.res.StatusCode, h.raw)
		}

		for _, caller := range []struct{ name, key string }{{"anonymous", ""}, {"key", key}} {
			t.Run(caller.name, func(t *testing.T) {
				// curl -F file=@photo.jpg .../op/api/v1/sign
				s := api.upload(t, "/sign", caller.key, opFile{"file", "photo.jpg", photo})
				if s.res.StatusCode != http.StatusOK {
					t.Fatalf("sign: %d %s", s.res.StatusCode, s.raw)
				}
				d := s.data()
				orig, _ := d["original"].(map[string]any)
				signed, _ := d["signed"].(map[string]any)
				man, _ := d["manifest"].(map[string]any)
				meta, _ := d["meta"].(map[string]any)
				if orig["size"] != float64(len(photo)) || orig["hasC2pa"] != false || orig["mimeType"] != "image/jpeg" {
					t.Errorf("original = %v", orig)
				}
				if signed["hasC2pa"] != true || signed["signer"] == "" || signed["size"].(float64) <= float64(len(photo)) {
					t.Errorf("signed = %v", signed)
				}
				if acts, _ := man["actions"].([]any); len(acts) != 1 || acts[0] != "c2pa.created" || !strings.HasPrefix(man["claimGenerator"].(string), "provgraph") {
					t.Errorf("manifest = %v", man)
				}
				exp, _ := time.Parse(time.RFC3339, meta["downloadExpiresAt"].(string))
				if left := time.Until(exp); left < 59*time.Minute || left > time.Hour+time.Second {
					t.Errorf("download expires in %s, want 1h", left)
				}

				link, _ := d["signedFileUrl"].(string)
				if !strings.HasPrefix(link, opPublicURL+op.Prefix+"/download/") {
					t.Fatalf("signedFileUrl %q", link)
				}
				dl := api.do(t, http.MethodGet, link, "", nil, "")
				if dl.res.StatusCode != http.StatusOK || dl.res.Header.Get("Content-Type") != "image/jpeg" ||
					!strings.Contains(dl.res.Header.Get("Content-Disposition"), "photo-signed.jpg") || int64(len(dl.raw)) != int64(signed["size"].(float64)) {
					t.Fatalf("download: %d %v (%d bytes)", dl.res.StatusCode, dl.res.Header, len(dl.raw))
				}
				oracleTrusted(t, "photo-signed.jpg", dl.raw, root)

				// curl -F file=@photo-signed.jpg .../op/api/v1/verify
				v := api.upload(t, "/verify", caller.key, opFile{"file", "photo-signed.jpg", dl.raw})
				if v.res.StatusCode != http.StatusOK {
					t.Fatalf("verify: %d %s", v.res.StatusCode, v.raw)
				}
				vd := v.data()
				trust, _ := vd["trust"].(map[string]any)
				vm, _ := vd["manifest"].(map[string]any)
				vmeta, _ := vd["meta"].(map[string]any)
				if trust["tier"] != "verified" || trust["confidence"] != "high" || trust["edgeCase"] != nil {
					t.Errorf("trust = %v", trust)
				}
				if vm["signerName"] != signed["signer"] || vm["claimGenerator"] != man["claimGenerator"] {
					t.Errorf("verify manifest = %v, sign said %v %v", vm, signed, man)
				}
				vexp, _ := time.Parse(time.RFC3339, vmeta["expiresAt"].(string))
				if left := time.Until(vexp); left < 59*time.Minute || left > time.Hour+time.Second {
					t.Errorf("verification expires in %s, want 1h", left)
				}
				id := vd["verifyId"].(string)

				tr := api.do(t, http.MethodGet, "/trust/"+id, "", nil, "")
				if tr.res.StatusCode != http.StatusOK || tr.data()["tier"] != "verified" || tr.data()["verifyId"] != id {
					t.Errorf("trust: %d %s", tr.res.StatusCode, tr.raw)
				}
				for _, b := range []struct{ query, contentType, contains string }{
					{"", "image/svg+xml", "<svg"},
					{"?format=svg&theme=dark&size=lg", "image/svg+xml", "<svg"},
					{"?format=html&theme=light&size=sm", "text/html; charset=utf-8", op.Prefix + "/badge/" + id},
					{"?format=json", "application/json; charset=utf-8", `"tier":"verified"`},
				} {
					r := api.do(t, http.MethodGet, "/badge/"+id+b.query, "", nil, "")
					if r.res.StatusCode != http.StatusOK || r.res.Header.Get("Content-Type") != b.contentType || !strings.Contains(string(r.raw), b.contains) {
						t.Errorf("badge%s: %d %s %.200s", b.query, r.res.StatusCode, r.res.Header.Get("Content-Type"), r.raw)
					}
				}
			})
		}

		// A file with no credentials verifies, with no manifest.
		v := api.upload(t, "/verify", "", opFile{"file", "photo.jpg", photo})
		if v.res.StatusCode != http.StatusOK || v.data()["manifest"] != nil || v.data()["trust"].(map[string]any)["tier"] != "no_credentials" {
			t.Errorf("verify unsigned: %d %s", v.res.StatusCode, v.raw)
		}
		// Signing a file that has credentials opens them.
		first := api.upload(t, "/sign", "", opFile{"file", "photo.jpg", photo})
		again := api.do(t, http.MethodGet, first.data()["signedFileUrl"].(string), "", nil, "")
		re := api.upload(t, "/sign", "", opFile{"file", "resigned.jpg", again.raw})
		if acts := re.data()["manifest"].(map[string]any)["actions"].([]any); re.data()["original"].(map[string]any)["hasC2pa"] != true || len(acts) == 0 || acts[0] != "c2pa.opened" {
			t.Errorf("re-sign: %s", re.raw)
		}

		big := bytes.Repeat([]byte{0xff}, 300<<10)
		noFile := func(path string) opResponse {
			return api.do(t, http.MethodPost, path, "", strings.NewReader("file=photo.jpg"), "application/x-www-form-urlencoded")
		}
		tests := []struct {
			name   string
			r      func() opResponse
			status int
			code   string
		}{
			{"sign without a file", func() opResponse { return noFile("/sign") }, 400, "invalid_file"},
			{"verify without a file", func() opResponse { return noFile("/verify") }, 400, "invalid_file"},
			{"sign two files", func() opResponse {
				return api.upload(t, "/sign", "", opFile{"file", "a.jpg", photo}, opFile{"file", "b.jpg", photo})
			}, 400, "invalid_file"},
			{"sign a text file", func() opResponse { return api.upload(t, "/sign", "", opFile{"file", "a.txt", []byte("hello")}) }, 400, "invalid_file"},
			{"verify a text file", func() opResponse { return api.upload(t, "/verify", "", opFile{"file", "a.txt", []byte("hello")}) }, 400, "invalid_file"},
			{"sign a broken JPEG", func() opResponse {
				return api.upload(t, "/sign", "", opFile{"file", "a.jpg", photo[:40]})
			}, 400, "invalid_file"},
			{"sign too large", func() opResponse { return api.upload(t, "/sign", "", opFile{"file", "big.jpg", big}) }, 400, "file_too_large"},
			{"invalid key", func() opResponse { return api.upload(t, "/sign", "pg_live_nope_nope", opFile{"file", "a.jpg", photo}) }, 401, "unauthorized"},
			{"key without sign", func() opResponse {
				return api.upload(t, "/sign", opKey(t, app, 0, tenant.ScopeVerifyRead), opFile{"file", "a.jpg", photo})
			}, 403, "forbidden"},
			{"key without verify.read", func() opResponse {
				return api.upload(t, "/verify", opKey(t, app, 0, tenant.ScopeSign), opFile{"file", "a.jpg", photo})
			}, 403, "forbidden"},
			{"unknown verifyId", func() opResponse { return api.do(t, http.MethodGet, "/trust/nosuchid", "", nil, "") }, 404, "not_found"},
			{"badge of unknown verifyId", func() opResponse { return api.do(t, http.MethodGet, "/badge/nosuchid", "", nil, "") }, 404, "not_found"},
			{"badge format", func() opResponse {
				return api.do(t, http.MethodGet, "/badge/"+v.data()["verifyId"].(string)+"?format=png", "", nil, "")
			}, 400, "invalid_request"},
			{"badge theme", func() opResponse {
				return api.do(t, http.MethodGet, "/badge/"+v.data()["verifyId"].(string)+"?theme=neon", "", nil, "")
			}, 400, "invalid_request"},
			{"forged download", func() opResponse { return api.do(t, http.MethodGet, "/download/abc.def", "", nil, "") }, 404, "not_found"},
			{"unknown route", func() opResponse {
				// Not in the document, so not through the checker.
				res, raw := get(t, srv.URL+op.Prefix+"/nope")
				r := opResponse{res: res, raw: raw}
				_ = json.Unmarshal(raw, &r.body)
				return r
			}, 404, "not_found"},
		}
		for _, tt := range tests {
			wantError(t, tt.name, tt.r(), tt.status, tt.code)
		}

		// Expired: a verification past its hour, a download past its token.
		ctx := tenant.WithSystem(context.Background())
		if _, err := app.Deps.Client.Verification.Update().SetExpiresAt(time.Now().Add(-time.Second)).Save(ctx); err != nil {
			t.Fatal(err)
		}
		_ = api.do(t, http.MethodGet, "/health", "", nil, "")
		id := v.data()["verifyId"].(string)
		wantError(t, "expired trust", api.do(t, http.MethodGet, "/trust/"+id, "", nil, ""), 404, "not_found")
		wantError(t, "expired badge", api.do(t, http.MethodGet, "/badge/"+id, "", nil, ""), 404, "not_found")
		tok := app.Deps.Downloads.Token(download.Grant{Key: "signed/x", FileName: "x.jpg", ContentType: "image/jpeg", Expires: time.Now().Add(-time.Minute)})
		wantError(t, "expired download", api.do(t, http.MethodGet, "/download/"+tok, "", nil, ""), 404, "not_found")

		if api.oa.Checked() < 40 {
			t.Errorf("%d responses checked against the OpenAPI document", api.oa.Checked())
		}
	})
}

// TestOPRateLimits counts both tiers down to 429 with Retry-After, each
// file of a batch counting against the day's limit, and a key with limits
// of its own.
func TestOPRateLimits(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		app, srv, _ := newOPServer(t, url, func(*config.Config) {})
		api := newOPAPI(t, srv)
		photo := bigJPEG(t, 16, 16)

		// Eleven files are more than the ten verifies a day an IP has.
		files := make([]opFile, 11)
		for i := range files {
			files[i] = opFile{"files", fmt.Sprintf("f%d.jpg", i), photo}
		}
		r := api.upload(t, "/batch/verify", "", files...)
		wantError(t, "anonymous batch over the day's verifies", r, 429, "rate_limited")
		if r.res.Header.Get("X-RateLimit-Limit") != "10" || r.res.Header.Get("Retry-After") == "" {
			t.Errorf("day limit headers %v", r.res.Header)
		}

		countDown(t, api, "", 5)
		key := opKey(t, app, 0, tenant.ScopeVerifyRead)
		countDown(t, api, key, 20)

		// A key with limits of its own, given when it is created.
		var created struct{ CreateAPIKey struct{ Key string } }
		mustData(t, srv, adminKey, `mutation { createAPIKey(input: {name: "own", scopes: [VERIFY_READ], opLimits: {requestsPerMinute: 2}}) { key } }`, nil, &created)
		countDown(t, api, created.CreateAPIKey.Key, 2)
		if code := post(t, srv, adminKey, `mutation { createAPIKey(input: {name: "bad", scopes: [VERIFY_READ], opLimits: {signsPerDay: -1}}) { key } }`, nil).code(); code != "INVALID_INPUT" {
			t.Errorf("a negative limit: code %q", code)
		}
	})
}

// countDown requests GET /trust/{unknown} until the per-minute limit of
// max refuses one: within a window X-RateLimit-Remaining falls by one a
// request, and the refusal is a 429 with Retry-After and details.retryAfter
// once the window's count is spent. Windows are clock minutes, so the
// count may restart once on the way.
func countDown(t *testing.T, api *opAPI, key string, max int) {
	t.Helper()
	var reset string
	prev := -1
	for range 2*max + 2 {
		r := api.do(t, http.MethodGet, "/trust/unknown", key, nil, "")
		h := r.res.Header
		if h.Get("X-RateLimit-Limit") != strconv.Itoa(max) {
			t.Fatalf("X-RateLimit-Limit %q, want %d", h.Get("X-RateLimit-Limit"), max)
		}
		left, err := strconv.Atoi(h.Get("X-RateLimit-Remaining"))
		if err != nil {
			t.Fatalf("X-RateLimit-Remaining %q", h.Get("X-RateLimit-Remaining"))
		}
		if h.Get("X-RateLimit-Reset") != reset {
			reset, prev = h.Get("X-RateLimit-Reset"), -1
		}
		if r.res.StatusCode == http.StatusTooManyRequests {
			wantError(t, "over the limit", r, 429, "rate_limited")
			retry, _ := strconv.Atoi(h.Get("Retry-After"))
			details, _ := r.body["error"].(map[string]any)["details"].(map[string]any)
			if retry < 1 || retry > 60 || details["retryAfter"] != float64(retry) || left != 0 || prev != 0 {
				t.Errorf("429: Retry-After %q, details %v, remaining %d after %d", h.Get("Retry-After"), details, left, prev)
			}
			return
		}
		wantError(t, "within the limit", r, 404, "not_found")
		if prev >= 0 && left != prev-1 {
			t.Errorf("remaining %d after %d", left, prev)
		}
		prev = left
	}
	t.Fatalf("no 429 after %d requests with a limit of %d", 2*max+2, max)
}

// TestOPBatchesAndWebhooks registers a webhook, runs a verify batch with
// a key (announced by batch.complete) and a sign batch anonymously, reads
// both, and checks every refusal: scopes, another account's batch and
// webhook, malformed bodies.
func TestOPBatchesAndWebhooks(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		app, srv, root := newOPServer(t, url, unlimitedOP)
		api := newOPAPI(t, srv)
		photo := bigJPEG(t, 48, 32)
		admin := opKey(t, app, adminAccountID(t, app), tenant.ScopeAdmin)
		rcv, delivered, _ := flakyReceiver(t, 0)

		// curl -H 'X-OP-API-Key: …' -d '{"url": …, "events": ["batch.complete"]}' …/webhooks
		hookBody := func(v any) io.Reader {
			b, _ := json.Marshal(v)
			return bytes.NewReader(b)
		}
		hook := api.do(t, http.MethodPost, "/webhooks", admin, hookBody(map[string]any{"url": rcv.URL + "/hook", "events": []string{"batch.complete"}}), "application/json")
		if hook.res.StatusCode != http.StatusCreated || hook.data()["secret"] == "" || hook.data()["active"] != true {
			t.Fatalf("create webhook: %d %s", hook.res.StatusCode, hook.raw)
		}
		hookID := hook.data()["id"].(string)
		list := api.do(t, http.MethodGet, "/webhooks", admin, nil, "")
		if hooks, _ := list.body["data"].([]any); len(hooks) != 1 || hooks[0].(map[string]any)["id"] != hookID || hooks[0].(map[string]any)["secret"] != nil {
			t.Errorf("webhooks: %s", list.raw)
		}

		// curl -H 'X-OP-API-Key: …' -F files=@a.jpg -F files=@b.jpg …/batch/verify
		b := api.upload(t, "/batch/verify", admin, opFile{"files", "a.jpg", photo}, opFile{"files", "b.jpg", photo})
		if b.res.StatusCode != http.StatusAccepted || b.data()["type"] != "verify" || b.data()["fileCount"] != float64(2) {
			t.Fatalf("batch verify: %d %s", b.res.StatusCode, b.raw)
		}
		batchID := b.data()["batchId"].(string)
		select {
		case d := <-delivered:
			var p map[string]any
			if err := json.Unmarshal(d.body, &p); err != nil || p["event"] != "batch.complete" || p["webhookId"] != hookID || p["timestamp"] == nil || p["data"] == nil {
				t.Errorf("webhook payload %s", d.body)
			}
			if d.header.Get("webhook-signature") == "" {
				t.Errorf("unsigned delivery: %v", d.header)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("no batch.complete delivery")
		}
		got := api.do(t, http.MethodGet, "/batch/"+batchID, admin, nil, "")
		results, _ := got.data()["results"].([]any)
		if got.data()["status"] != "completed" || got.data()["completedCount"] != float64(2) || len(results) != 2 {
			t.Fatalf("batch: %s", got.raw)
		}
		for _, r := range results {
			r := r.(map[string]any)
			if r["status"] != "completed" || r["verifyId"] == nil || r["tier"] != "no_credentials" {
				t.Errorf("result %v", r)
			}
		}

		// Anonymously: a sign batch, read by its unguessable id.
		s := api.upload(t, "/batch/sign", "", opFile{"files", "a.jpg", photo}, opFile{"files", "b.jpg", photo})
		if s.res.StatusCode != http.StatusAccepted || s.data()["type"] != "sign" {
			t.Fatalf("batch sign: %d %s", s.res.StatusCode, s.raw)
		}
		anonID := s.data()["batchId"].(string)
		if _, err := strconv.Atoi(anonID); err == nil {
			t.Fatalf("anonymous batch id %q is a job id", anonID)
		}
		g, err := app.Deps.Downloads.Check(anonID)
		if err != nil {
			t.Fatal(err)
		}
		jobID, _ := strconv.Atoi(strings.TrimPrefix(g.Key, "op-batch:"))
		pub, err := app.Deps.Accounts.Public(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(tenant.NewContext(context.Background(), pub), 30*time.Second)
		defer cancel()
		states, err := app.Deps.Jobs.Watch(ctx, jobID)
		if err != nil {
			t.Fatal(err)
		}
		var last string
		for j := range states {
			last = string(j.Status)
		}
		if last != "COMPLETED" {
			t.Fatalf("sign batch ended %q", last)
		}
		sg := api.do(t, http.MethodGet, "/batch/"+anonID, "", nil, "")
		sres, _ := sg.data()["results"].([]any)
		if sg.data()["status"] != "completed" || len(sres) != 2 {
			t.Fatalf("sign batch: %s", sg.raw)
		}
		first := sres[0].(map[string]any)
		link, _ := first["signedFileUrl"].(string)
		if first["status"] != "completed" || first["verifyId"] == nil || link == "" {
			t.Fatalf("sign result %v", first)
		}
		dl := api.do(t, http.MethodGet, link, "", nil, "")
		if dl.res.StatusCode != http.StatusOK {
			t.Fatalf("download: %d", dl.res.StatusCode)
		}
		oracleTrusted(t, "a-signed.jpg", dl.raw, root)

		other := opKey(t, app, 0, tenant.AllScopes()...)
		many := make([]opFile, 21)
		for i := range many {
			many[i] = opFile{"files", fmt.Sprintf("f%d.jpg", i), photo}
		}
		tests := []struct {
			name   string
			r      func() opResponse
			status int
			code   string
		}{
			{"another account's batch", func() opResponse { return api.do(t, http.MethodGet, "/batch/"+batchID, other, nil, "") }, 404, "not_found"},
			{"a job id anonymously", func() opResponse { return api.do(t, http.MethodGet, "/batch/"+batchID, "", nil, "") }, 404, "not_found"},
			{"an anonymous batch id with a key", func() opResponse { return api.do(t, http.MethodGet, "/batch/"+anonID, admin, nil, "") }, 404, "not_found"},
			{"unknown batch", func() opResponse { return api.do(t, http.MethodGet, "/batch/999999", admin, nil, "") }, 404, "not_found"},
			{"batch of 21 files", func() opResponse { return api.upload(t, "/batch/verify", admin, many...) }, 400, "invalid_file"},
			{"batch without files", func() opResponse { return api.upload(t, "/batch/sign", admin, opFile{"file", "a.jpg", photo}) }, 400, "invalid_file"},
			{"batch sign without the scope", func() opResponse {
				return api.upload(t, "/batch/sign", opKey(t, app, 0, tenant.ScopeVerifyRead), opFile{"files", "a.jpg", photo})
			}, 403, "forbidden"},
			{"webhooks without a key", func() opResponse { return api.do(t, http.MethodGet, "/webhooks", "", nil, "") }, 401, "unauthorized"},
			{"webhook without a key", func() opResponse {
				return api.do(t, http.MethodPost, "/webhooks", "", hookBody(map[string]any{"url": rcv.URL}), "application/json")
			}, 401, "unauthorized"},
			{"webhooks without admin", func() opResponse {
				return api.do(t, http.MethodGet, "/webhooks", opKey(t, app, 0, tenant.ScopeSign), nil, "")
			}, 403, "forbidden"},
			{"unknown event", func() opResponse {
				return api.do(t, http.MethodPost, "/webhooks", admin, hookBody(map[string]any{"url": rcv.URL, "events": []string{"scan.complete"}}), "application/json")
			}, 400, "invalid_request"},
			{"webhook without url", func() opResponse {
				return api.do(t, http.MethodPost, "/webhooks", admin, hookBody(map[string]any{"events": []string{}}), "application/json")
			}, 400, "invalid_request"},
			{"webhook body not JSON", func() opResponse {
				return api.do(t, http.MethodPost, "/webhooks", admin, strings.NewReader("url="), "application/json")
			}, 400, "invalid_request"},
			{"private webhook URL", func() opResponse {
				return api.do(t, http.MethodPost, "/webhooks", admin, hookBody(map[string]any{"url": "http://10.0.0.1/hook"}), "application/json")
			}, 400, "invalid_request"},
			{"another account's webhook", func() opResponse { return api.do(t, http.MethodDelete, "/webhooks/"+hookID, other, nil, "") }, 404, "not_found"},
			{"unknown webhook", func() opResponse { return api.do(t, http.MethodDelete, "/webhooks/nope", admin, nil, "") }, 404, "not_found"},
		}
		for _, tt := range tests {
			wantError(t, tt.name, tt.r(), tt.status, tt.code)
		}
		if l := api.do(t, http.MethodGet, "/webhooks", other, nil, ""); len(l.body["data"].([]any)) != 0 {
			t.Errorf("another account lists %s", l.raw)
		}
		del := api.do(t, http.MethodDelete, "/webhooks/"+hookID, admin, nil, "")
		if del.res.StatusCode != http.StatusOK || del.data()["deleted"] != true {
			t.Errorf("delete: %d %s", del.res.StatusCode, del.raw)
		}
		wantError(t, "deleted webhook", api.do(t, http.MethodDelete, "/webhooks/"+hookID, admin, nil, ""), 404, "not_found")
		if api.oa.Checked() < 25 {
			t.Errorf("%d responses checked against the OpenAPI document", api.oa.Checked())
		}
	})
}

// TestOPInternalErrors checks that internal failures are sign_failed and
// verify_failed, with nothing of their cause in the message: the blob
// store's folder is replaced by a file once the server runs.
func TestOPInternalErrors(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		blobs := filepath.Join(t.TempDir(), "blobs")
		_, srv, _ := newOPServer(t, url, func(c *config.Config) {
			unlimitedOP(c)
			c.StorageURL = blobs
		})
		if err := os.RemoveAll(blobs); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(blobs, []byte("not a folder"), 0o600); err != nil {
			t.Fatal(err)
		}
		api := newOPAPI(t, srv)
		photo := bigJPEG(t, 16, 16)
		for _, tt := range []struct {
			path, field, code string
		}{
			{"/sign", "file", "sign_failed"},
			{"/batch/sign", "files", "sign_failed"},
			{"/batch/verify", "files", "verify_failed"},
		} {
			r := api.upload(t, tt.path, "", opFile{tt.field, "a.jpg", photo})
			wantError(t, tt.path, r, 500, tt.code)
			if msg := r.body["error"].(map[string]any)["message"]; msg != "internal error" {
				t.Errorf("%s: message %q", tt.path, msg)
			}
		}
	})
}
