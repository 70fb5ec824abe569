package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"provgraph/article50"
	"provgraph/db/dbtest"
	"provgraph/ent"
	"provgraph/ent/account"
	"provgraph/ent/asset"
	entdeclaration "provgraph/ent/declaration"
	"provgraph/ent/manifest"
	"provgraph/ent/schema/tenant"
	"provgraph/internal/openapitest"
	"provgraph/jobs"
	"provgraph/rest/notarai"
	"provgraph/server"
	"provgraph/workflows"
)

// nt drives the NotarAI API of one test server through the OpenAPI checker.
type nt struct {
	t    *testing.T
	app  *server.App
	srv  *httptest.Server
	api  *openapitest.Checker
	ids  *notarai.IDs
	root string // PEM path of the development signer's root
}

// newNotaraiServer serves a server whose public URL is its listener and
// whose trust anchors include the development signer's root.
func newNotaraiServer(t *testing.T, databaseURL string) *nt {
	t.Helper()
	app, srv, root := newPublicServer(t, databaseURL, true)
	return &nt{t: t, app: app, srv: srv, api: openapitest.New(t, notarai.OpenAPI()),
		ids: notarai.IDsOf(app.Deps.Downloads), root: root}
}

// tooLarge is one byte over NotarAI's default file limit; it is refused
// by its size before its bytes are looked at.
var tooLarge = make([]byte, notarai.DefaultMaxFileBytes+1)

// account creates an account of plan and one key per scope set.
func (n *nt) account(plan account.Plan, scopes ...[]tenant.Scope) (int, []string) {
	n.t.Helper()
	ctx := context.Background()
	a, err := n.app.Deps.Accounts.CreateAccount(ctx, "acct-"+strconv.Itoa(int(time.Now().UnixNano()%1e9)), plan)
	if err != nil {
		n.t.Fatal(err)
	}
	keys := make([]string, len(scopes))
	for i, s := range scopes {
		if _, keys[i], err = n.app.Deps.Accounts.CreateKeyFor(ctx, a.ID, "k", s, ""); err != nil {
			n.t.Fatal(err)
		}
	}
	return a.ID, keys
}

// req is one request to the API: path under the prefix, or a full URL.
type req struct {
	method, path, key string
	json              any
	files             []upload
	fields            map[string]string
}

// res is a response with its JSON body decoded.
type res struct {
	status int
	header http.Header
	body   map[string]any
	raw    []byte
}

// do sends r and checks the response against the OpenAPI document.
func (n *nt) do(t *testing.T, r req) res {
	t.Helper()
	var body io.Reader
	ctype := ""
	switch {
	case r.files != nil || r.fields != nil:
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, v := range r.fields {
			_ = mw.WriteField(k, v)
		}
		for _, f := range r.files {
			w, _ := mw.CreateFormFile("file", f.name)
			_, _ = w.Write(f.data)
		}
		_ = mw.Close()
		body, ctype = &buf, mw.FormDataContentType()
	case r.json != nil:
		b, err := json.Marshal(r.json)
		if err != nil {
			t.Fatal(err)
		}
		body, ctype = bytes.NewReader(b), "application/json"
	}
	hr, err := http.NewRequest(r.method, n.srv.URL+notarai.Prefix+r.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		hr.Header.Set("Content-Type", ctype)
	}
	if r.key != "" {
		hr.Header.Set("Authorization", "Bearer "+r.key)
	}
	resp, raw := n.api.Do(t, n.srv.Client(), hr)
	out := res{status: resp.StatusCode, header: resp.Header, raw: raw}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s %s: Content-Type %q", r.method, r.path, ct)
	}
	if err := json.Unmarshal(raw, &out.body); err != nil {
		t.Fatalf("%s %s → %d: not a JSON object: %s", r.method, r.path, resp.StatusCode, raw)
	}
	return out
}

// expect sends r and fails unless it answers status (and, for an error,
// code).
func (n *nt) expect(t *testing.T, r req, status int, code string) res {
	t.Helper()
	out := n.do(t, r)
	if out.status != status {
		t.Fatalf("%s %s → %d, want %d: %s", r.method, r.path, out.status, status, out.raw)
	}
	if code != "" && out.body["code"] != code {
		t.Fatalf("%s %s: code %v, want %s: %s", r.method, r.path, out.body["code"], code, out.raw)
	}
	if status >= 400 {
		if msg, _ := out.body["error"].(string); msg == "" {
			t.Errorf("%s %s: error envelope without a message: %s", r.method, r.path, out.raw)
		}
	}
	return out
}

// wait blocks until the job of UUID text ends and returns its status.
func (n *nt) wait(t *testing.T, accountID int, text string) string {
	t.Helper()
	id, ok, err := n.ids.Decode(notarai.KindJob, text)
	if err != nil || !ok {
		t.Fatalf("job ID %q: %v %v", text, ok, err)
	}
	ctx, cancel := context.WithTimeout(tenant.NewContext(context.Background(),
		tenant.Viewer{AccountID: accountID, Scopes: tenant.AllScopes()}), 30*time.Second)
	defer cancel()
	ch, err := n.app.Deps.Jobs.Watch(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var last *ent.Job
	for j := range ch {
		last = j
	}
	if last == nil || ctx.Err() != nil {
		t.Fatalf("job %s did not end: %+v", text, last)
	}
	return strings.ToLower(string(last.Status))
}

// recordIDOf is the integer asset ID a record UUID carries.
func (n *nt) recordIDOf(t *testing.T, text string) int {
	t.Helper()
	id, ok, err := n.ids.Decode(notarai.KindRecord, text)
	if err != nil || !ok {
		t.Fatalf("record ID %q: %v %v", text, ok, err)
	}
	return id
}

func str(v any) string { s, _ := v.(string); return s }

func list(v any) []any { l, _ := v.([]any); return l }

func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }

// TestNotaraiAPI drives every route of the NotarAI v1 API through a real
// listener with the documented requests, on both dialects: shapes,
// statuses, headers, every error code, scopes and other accounts.
func TestNotaraiAPI(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		n := newNotaraiServer(t, url)
		every := []tenant.Scope{tenant.ScopeScan, tenant.ScopeSign, tenant.ScopeVerifyRead, tenant.ScopeJobsRead, tenant.ScopeWorkflowsRead}
		acct, keys := n.account(account.PlanBusiness, every, []tenant.Scope{tenant.ScopeScan}, every,
			[]tenant.Scope{tenant.ScopeWorkflowsRead, tenant.ScopeScan})
		key, scanOnly, revoked, noSign := keys[0], keys[1], keys[2], keys[3]
		otherAcct, otherKeys := n.account(account.PlanBusiness, every)
		other := otherKeys[0]
		asAcct := tenant.NewContext(context.Background(), tenant.Viewer{AccountID: acct, Scopes: tenant.AllScopes()})
		revokedRow, err := n.app.Deps.Client.APIKey.Query().Order(ent.Desc("id")).All(asAcct)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range revokedRow {
			if strings.HasPrefix(revoked, k.Prefix[:len(k.Prefix)-len("…")]) {
				if _, err := n.app.Deps.Accounts.RevokeKey(asAcct, k.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		if !strings.HasPrefix(key, "pg_live_key_") {
			t.Fatalf("issued key %q is not of the NotarAI shape", key)
		}
		img := bigJPEG(t, 64, 48)
		decl := declaration()

		// Authentication, scopes and unknown routes.
		scanReq := req{method: "POST", path: "/scans", files: []upload{{"a.jpg", img}}}
		withKey := func(r req, k string) req { r.key = k; return r }
		n.expect(t, scanReq, 401, "UNAUTHORIZED")
		n.expect(t, withKey(scanReq, "pg_live_key_nope_nope"), 401, "UNAUTHORIZED")
		n.expect(t, withKey(scanReq, revoked), 403, "KEY_REVOKED")
		n.expect(t, req{method: "POST", path: "/sign", key: scanOnly, json: map[string]any{"recordId": "x"}}, 403, "INSUFFICIENT_SCOPE")
		for _, tc := range []struct {
			r      req
			status int // with a key holding workflows.read and scan only
		}{
			{req{method: "GET", path: "/sign-jobs"}, 403},
			{req{method: "GET", path: "/scan-jobs"}, 403},
			{req{method: "GET", path: "/collections"}, 403},
			{req{method: "GET", path: "/workflows"}, 200},
			{req{method: "POST", path: "/collections", json: map[string]any{"name": "x"}}, 201},
			{req{method: "POST", path: "/sign-jobs", json: map[string]any{}}, 403},
		} {
			n.expect(t, withKey(tc.r, noSign), tc.status, map[bool]string{true: "INSUFFICIENT_SCOPE"}[tc.status == 403])
			n.expect(t, withKey(tc.r, ""), 401, "UNAUTHORIZED")
		}

		// POST /scans: a new collection, one record stored and one refused.
		scanned := n.expect(t, req{method: "POST", path: "/scans", key: key,
			files:  []upload{{"hero.jpg", img}, {"notes.txt", []byte("plain text, no media")}},
			fields: map[string]string{"collectionName": "launch", "collectionDescription": "2026 launch"}}, 200, "")
		if scanned.body["createdCollection"] != true || str(scanned.body["collectionId"]) == "" {
			t.Fatalf("scan response %s", scanned.raw)
		}
		collectionID := str(scanned.body["collectionId"])
		results := list(scanned.body["results"])
		rec := str(obj(results[0])["recordId"])
		if meta := obj(obj(results[0])["metadata"]); rec == "" || meta["hasC2PA"] != false || meta["rawFields"] == nil {
			t.Fatalf("first result %v", results[0])
		}
		if r := obj(results[1]); r["fileName"] != "notes.txt" || str(r["error"]) == "" || r["recordId"] != nil {
			t.Fatalf("refused file %v", r)
		}
		for _, h := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} {
			if scanned.header.Get(h) == "" {
				t.Errorf("POST /scans: no %s header", h)
			}
		}
		if got := scanned.header.Get("X-RateLimit-Limit"); got != "2000" {
			t.Errorf("X-RateLimit-Limit %s, want the business plan's 2000", got)
		}
		scanOne := func(k, name string, fields map[string]string) string {
			t.Helper()
			r := n.expect(t, req{method: "POST", path: "/scans", key: k, files: []upload{{name, img}}, fields: fields}, 200, "")
			return str(obj(list(r.body["results"])[0])["recordId"])
		}
		rec2 := scanOne(key, "second.jpg", map[string]string{"collectionId": collectionID})
		rec3 := scanOne(key, "third.jpg", nil)
		otherRec := scanOne(other, "theirs.jpg", nil)
		n.expect(t, req{method: "POST", path: "/scans", key: key, files: []upload{{"x.txt", []byte("hello")}}}, 415, "UNSUPPORTED_MEDIA_TYPE")
		n.expect(t, req{method: "POST", path: "/scans", key: key, files: []upload{{"big.jpg", tooLarge}}}, 413, "FILE_TOO_LARGE")
		n.expect(t, req{method: "POST", path: "/scans", key: key, files: []upload{{"a.jpg", img}},
			fields: map[string]string{"collectionId": collectionID, "collectionName": "both"}}, 400, "INVALID_REQUEST")
		n.expect(t, req{method: "POST", path: "/scans", key: key, json: map[string]any{"file": "no"}}, 400, "INVALID_REQUEST")
		n.expect(t, req{method: "POST", path: "/scans", key: other, files: []upload{{"a.jpg", img}},
			fields: map[string]string{"collectionId": collectionID}}, 404, "NOT_FOUND")

		// POST /sign, one record: URLs that download a file the c2pa-rs
		// oracle trusts under the signer root; again: fresh URLs, one
		// signature.
		signed := n.expect(t, req{method: "POST", path: "/sign", key: key, json: map[string]any{"recordId": rec, "declaration": decl}}, 200, "")
		if signed.body["status"] != "complete" || signed.body["recordId"] != rec || signed.body["urlExpiresInSeconds"].(float64) <= 0 {
			t.Fatalf("sign response %s", signed.raw)
		}
		dl, data := get(t, str(signed.body["signedAssetUrl"]))
		if dl.StatusCode != 200 {
			t.Fatalf("signedAssetUrl → %d", dl.StatusCode)
		}
		oracleTrusted(t, "hero-signed.jpg", data, n.root)
		if cert, _ := get(t, str(signed.body["certificateUrl"])); cert.StatusCode != 200 || cert.Header.Get("Content-Type") != "application/pdf" {
			t.Errorf("certificateUrl → %d %s", cert.StatusCode, cert.Header.Get("Content-Type"))
		}
		again := n.expect(t, req{method: "POST", path: "/sign", key: key, json: map[string]any{"recordId": rec, "declaration": decl}}, 200, "")
		if again.body["status"] != "complete" || str(again.body["signedAssetUrl"]) == "" {
			t.Fatalf("second sign %s", again.raw)
		}
		assetID := n.recordIDOf(t, rec)
		if nm := n.app.Deps.Client.Manifest.Query().Where(manifest.AssetID(assetID)).CountX(asAcct); nm != 1 {
			t.Errorf("%d manifests after signing twice, want 1", nm)
		}
		if nd := n.app.Deps.Client.Declaration.Query().Where(entdeclaration.AssetID(assetID)).CountX(asAcct); nd != 1 {
			t.Errorf("%d declarations after signing twice, want 1", nd)
		}

		// POST /sign, an array: one result each, failures marked.
		missing := n.ids.Encode(notarai.KindRecord, 1<<40)
		batch := n.expect(t, req{method: "POST", path: "/sign", key: key,
			json: map[string]any{"recordId": []string{rec, rec2, otherRec, missing}, "declaration": decl}}, 200, "")
		if batch.body["count"] != float64(4) {
			t.Fatalf("batch %s", batch.raw)
		}
		for i, want := range []string{"complete", "complete", "error", "error"} {
			if got := obj(list(batch.body["results"])[i])["status"]; got != want {
				t.Errorf("batch result %d status %v, want %s", i, got, want)
			}
		}
		pending := seedAsset(t, n.app, acct, "pending.jpg", img, asset.StatusPending)
		pendingRec := n.ids.Encode(notarai.KindRecord, pending)
		for _, tc := range []struct {
			name   string
			body   any
			status int
			code   string
		}{
			{"not pending", map[string]any{"recordId": pendingRec, "declaration": decl}, 422, "RECORD_NOT_PENDING"},
			{"another account's", map[string]any{"recordId": otherRec, "declaration": decl}, 404, "NOT_FOUND"},
			{"unknown UUID", map[string]any{"recordId": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "declaration": decl}, 404, "NOT_FOUND"},
			{"not a UUID", map[string]any{"recordId": "42", "declaration": decl}, 400, "INVALID_REQUEST"},
			{"no declaration", map[string]any{"recordId": rec3}, 400, "INVALID_REQUEST"},
			{"bad enum", map[string]any{"recordId": rec3, "declaration": map[string]any{"aiModel": "x", "modificationType": "remix", "purpose": "art", "humanReview": false}}, 400, "INVALID_REQUEST"},
			{"51 records", map[string]any{"recordId": make([]string, 51), "declaration": decl}, 400, "INVALID_REQUEST"},
			{"not JSON", nil, 400, "INVALID_REQUEST"},
		} {
			t.Run("sign "+tc.name, func(t *testing.T) {
				n.expect(t, req{method: "POST", path: "/sign", key: key, json: tc.body}, tc.status, tc.code)
			})
		}

		// GET /verify/{id}: public, or the caller's with verify.read.
		pub := n.expect(t, req{method: "GET", path: "/verify/" + rec}, 200, "")
		if pub.body["id"] != rec || pub.body["status"] != "complete" || obj(pub.body["declaration"])["aiModel"] != "dall-e-3" ||
			!strings.Contains(str(pub.body["verifyUrl"]), "/verify/") || pub.body["completedAt"] == nil || pub.body["fileName"] != "hero.jpg" {
			t.Fatalf("verify %s", pub.raw)
		}
		if v, _ := get(t, str(pub.body["verifyUrl"])); v.StatusCode != 200 {
			t.Errorf("verifyUrl → %d", v.StatusCode)
		}
		n.expect(t, req{method: "GET", path: "/verify/" + rec, key: key}, 200, "")
		n.expect(t, req{method: "GET", path: "/verify/" + rec, key: scanOnly}, 403, "INSUFFICIENT_SCOPE")
		n.expect(t, req{method: "GET", path: "/verify/" + rec, key: other}, 404, "NOT_FOUND")
		n.expect(t, req{method: "GET", path: "/verify/" + rec, key: "pg_live_key_nope_nope"}, 401, "UNAUTHORIZED")
		n.expect(t, req{method: "GET", path: "/verify/" + n.ids.Encode(notarai.KindJob, assetID)}, 404, "NOT_FOUND")
		n.expect(t, req{method: "GET", path: "/verify/not-a-uuid"}, 400, "INVALID_REQUEST")
		if un := n.expect(t, req{method: "GET", path: "/verify/" + rec3}, 200, ""); un.body["status"] != "scanned" || un.body["declaration"] != nil || un.body["verifyUrl"] != nil {
			t.Errorf("unsigned record %s", un.raw)
		}

		// Sign jobs.
		sj := n.expect(t, req{method: "POST", path: "/sign-jobs", key: key, json: map[string]any{"recordIds": []string{rec3}, "declaration": decl}}, 202, "")
		signJob := str(obj(sj.body["job"])["id"])
		if st := n.wait(t, acct, signJob); st != "completed" {
			t.Fatalf("sign job %s", st)
		}
		got := n.expect(t, req{method: "GET", path: "/sign-jobs/" + signJob + "?items=true", key: key}, 200, "")
		job := obj(got.body["job"])
		items := list(job["items"])
		if job["status"] != "completed" || job["type"] != "sign" || len(items) != 1 || obj(items[0])["recordId"] != rec3 || str(obj(items[0])["verifyUrl"]) == "" {
			t.Fatalf("sign job %s", got.raw)
		}
		if g := n.expect(t, req{method: "GET", path: "/sign-jobs/" + signJob, key: key}, 200, ""); obj(g.body["job"])["items"] != nil {
			t.Errorf("items without ?items=true: %s", g.raw)
		}
		sl := n.expect(t, req{method: "GET", path: "/sign-jobs?status=completed&limit=1&offset=0", key: key}, 200, "")
		if sl.body["total"] != float64(1) || len(list(sl.body["jobs"])) != 1 || sl.body["limit"] != float64(1) {
			t.Errorf("sign job list %s", sl.raw)
		}
		n.expect(t, req{method: "GET", path: "/sign-jobs?limit=101", key: key}, 400, "INVALID_REQUEST")
		n.expect(t, req{method: "GET", path: "/sign-jobs?status=done", key: key}, 400, "INVALID_REQUEST")
		n.expect(t, req{method: "GET", path: "/sign-jobs/" + signJob, key: other}, 404, "NOT_FOUND")
		n.expect(t, req{method: "GET", path: "/scan-jobs/" + signJob, key: key}, 404, "NOT_FOUND")
		n.expect(t, req{method: "GET", path: "/sign-jobs/" + signJob, key: scanOnly}, 403, "INSUFFICIENT_SCOPE")
		n.expect(t, req{method: "POST", path: "/sign-jobs", key: key, json: map[string]any{"recordIds": []string{otherRec}, "declaration": decl}}, 404, "NOT_FOUND")
		n.expect(t, req{method: "POST", path: "/sign-jobs", key: key, json: map[string]any{"declaration": decl}}, 400, "INVALID_REQUEST")

		// Scan jobs.
		cj := n.expect(t, req{method: "POST", path: "/scan-jobs", key: key, files: []upload{{"bulk.jpg", img}},
			fields: map[string]string{"collectionId": collectionID}}, 202, "")
		scanJob := str(obj(cj.body["job"])["id"])
		if obj(cj.body["job"])["collectionId"] != collectionID {
			t.Errorf("scan job %s", cj.raw)
		}
		if st := n.wait(t, acct, scanJob); st != "completed" {
			t.Fatalf("scan job %s", st)
		}
		gs := n.expect(t, req{method: "GET", path: "/scan-jobs/" + scanJob + "?items=true", key: key}, 200, "")
		if its := list(obj(gs.body["job"])["items"]); len(its) != 1 || str(obj(its[0])["recordId"]) == "" || obj(its[0])["fileName"] != "bulk.jpg" {
			t.Fatalf("scan job %s", gs.raw)
		}
		if l := n.expect(t, req{method: "GET", path: "/scan-jobs?collectionId=" + collectionID, key: key}, 200, ""); l.body["total"] != float64(1) {
			t.Errorf("scan jobs of the collection %s", l.raw)
		}
		n.expect(t, req{method: "GET", path: "/scan-jobs?collectionId=" + collectionID, key: other}, 200, "")
		n.expect(t, req{method: "POST", path: "/scan-jobs", key: key, files: []upload{{"big.jpg", tooLarge}}}, 413, "FILE_TOO_LARGE")
		n.expect(t, req{method: "POST", path: "/scan-jobs", key: key, fields: map[string]string{"x": "y"}}, 400, "INVALID_REQUEST")

		// Collections.
		cc := n.expect(t, req{method: "POST", path: "/collections", key: key, json: map[string]any{"name": "press", "description": "kit"}}, 201, "")
		press := str(obj(cc.body["collection"])["id"])
		n.expect(t, req{method: "POST", path: "/collections", key: key, json: map[string]any{"description": "no name"}}, 400, "INVALID_REQUEST")
		cl := n.expect(t, req{method: "GET", path: "/collections?limit=10", key: key}, 200, "")
		if cl.body["total"].(float64) < 2 {
			t.Errorf("collections %s", cl.raw)
		}
		up := n.expect(t, req{method: "POST", path: "/collections/" + press + "/assets", key: key, files: []upload{{"kit.jpg", img}}}, 200, "")
		if up.body["collectionId"] != press || up.body["createdCollection"] != false {
			t.Errorf("upload into collection %s", up.raw)
		}
		as := n.expect(t, req{method: "POST", path: "/collections/" + press + "/assets", key: key, json: map[string]any{"recordIds": []string{rec}}}, 200, "")
		if obj(as.body["collection"])["assetCount"] != float64(2) {
			t.Errorf("assign %s", as.raw)
		}
		n.expect(t, req{method: "POST", path: "/collections/" + press + "/assets", key: key, json: map[string]any{"recordIds": []string{otherRec}}}, 404, "NOT_FOUND")
		n.expect(t, req{method: "POST", path: "/collections/" + press + "/assets", key: scanOnly, json: map[string]any{"recordIds": []string{rec}}}, 403, "INSUFFICIENT_SCOPE")
		gc := n.expect(t, req{method: "GET", path: "/collections/" + press, key: key}, 200, "")
		if len(list(gc.body["assets"])) != 2 || obj(gc.body["collection"])["name"] != "press" {
			t.Errorf("collection %s", gc.raw)
		}
		n.expect(t, req{method: "GET", path: "/collections/" + press, key: other}, 404, "NOT_FOUND")
		// The list counts each collection's records (one grouped query).
		counts := map[string]any{}
		for _, c := range list(n.expect(t, req{method: "GET", path: "/collections?limit=10", key: key}, 200, "").body["collections"]) {
			counts[str(obj(c)["id"])] = obj(c)["assetCount"]
		}
		if counts[press] != float64(2) || len(counts) < 2 {
			t.Errorf("list counts %v, want %s: 2 among them", counts, press)
		}
		csj := n.expect(t, req{method: "POST", path: "/collections/" + press + "/scans", key: key, files: []upload{{"more.jpg", img}}}, 202, "")
		if st := n.wait(t, acct, str(obj(csj.body["job"])["id"])); st != "completed" {
			t.Fatalf("collection scan job %s", st)
		}
		csg := n.expect(t, req{method: "POST", path: "/collections/" + press + "/sign", key: key, json: map[string]any{"declaration": decl}}, 202, "")
		if st := n.wait(t, acct, str(obj(csg.body["job"])["id"])); st != "completed" {
			t.Fatalf("collection sign job %s", st)
		}
		n.expect(t, req{method: "POST", path: "/collections/" + press + "/sign", key: other, json: map[string]any{"declaration": decl}}, 404, "NOT_FOUND")
		vc := n.expect(t, req{method: "GET", path: "/verify/collection/" + press, key: key}, 200, "")
		if vc.body["total"] != float64(3) || vc.body["signed"] != float64(3) || len(list(vc.body["records"])) != 3 {
			t.Errorf("collection verification %s", vc.raw)
		}
		n.expect(t, req{method: "GET", path: "/verify/collection/" + press}, 401, "UNAUTHORIZED")
		n.expect(t, req{method: "GET", path: "/verify/collection/" + press, key: other}, 404, "NOT_FOUND")

		// Workflows.
		pressID, _, _ := n.ids.Decode(notarai.KindCollection, press)
		review := true
		d := article50.Declaration{AIModel: "dall-e-3", ModificationType: "generation", Purpose: "advertising", HumanReview: &review, ReviewerName: "Ana Reviewer"}
		wf, err := n.app.Deps.Workflows.Create(asAcct, workflows.Input{Name: "scan and sign", Steps: []jobs.Step{jobs.StepScan, jobs.StepSign}, Declaration: &d})
		if err != nil {
			t.Fatal(err)
		}
		wl := n.expect(t, req{method: "GET", path: "/workflows", key: key}, 200, "")
		if wls := list(wl.body["workflows"]); len(wls) != 1 || obj(wls[0])["name"] != "scan and sign" || list(obj(wls[0])["steps"])[1] != "sign" {
			t.Fatalf("workflows %s", wl.raw)
		}
		wfID := n.ids.Encode(notarai.KindWorkflow, wf.ID)
		run := n.expect(t, req{method: "POST", path: "/workflows/" + wfID, key: key, files: []upload{{"flow.jpg", img}}}, 202, "")
		if j := obj(run.body["job"]); j["type"] != "workflow" || j["workflowId"] != wfID {
			t.Errorf("workflow run %s", run.raw)
		}
		if st := n.wait(t, acct, str(obj(run.body["job"])["id"])); st != "completed" {
			t.Fatalf("workflow run %s", st)
		}
		n.expect(t, req{method: "GET", path: "/sign-jobs/" + str(obj(run.body["job"])["id"]) + "?items=true", key: key}, 200, "")
		rc := n.expect(t, req{method: "POST", path: "/workflows/" + wfID + "/run-collection", key: key, json: map[string]any{"collectionId": n.ids.Encode(notarai.KindCollection, pressID)}}, 202, "")
		if st := n.wait(t, acct, str(obj(rc.body["job"])["id"])); st != "completed" {
			t.Fatalf("workflow run on a collection %s", st)
		}
		n.expect(t, req{method: "POST", path: "/workflows/" + wfID, key: noSign, files: []upload{{"flow.jpg", img}}}, 403, "INSUFFICIENT_SCOPE")
		n.expect(t, req{method: "POST", path: "/workflows/" + wfID, key: other, files: []upload{{"flow.jpg", img}}}, 404, "NOT_FOUND")
		n.expect(t, req{method: "POST", path: "/workflows/" + wfID + "/run-collection", key: key, json: map[string]any{}}, 400, "INVALID_REQUEST")
		n.expect(t, req{method: "GET", path: "/workflows", key: other}, 200, "")
		_ = otherAcct

		// An unknown route is not in the document: checked by hand.
		nowhere, body := get(t, n.srv.URL+notarai.Prefix+"/nowhere")
		if nowhere.StatusCode != 404 || !strings.Contains(string(body), `"code":"NOT_FOUND"`) {
			t.Errorf("unknown route → %d %s", nowhere.StatusCode, body)
		}
		if n.api.Checked() < 80 {
			t.Errorf("only %d responses went through the OpenAPI checker", n.api.Checked())
		}
	})
}

// TestNotaraiQuota counts a starter account's monthly scans down to a 429
// with Retry-After, the X-RateLimit-* headers following.
func TestNotaraiQuota(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		n := newNotaraiServer(t, url)
		acct, keys := n.account(account.PlanStarter, []tenant.Scope{tenant.ScopeScan, tenant.ScopeSign})
		sys := tenant.WithSystem(context.Background())
		if err := n.app.Deps.Client.Account.UpdateOneID(acct).SetMonthlyAssetQuota(3).Exec(sys); err != nil {
			t.Fatal(err)
		}
		img := bigJPEG(t, 32, 32)
		scan := req{method: "POST", path: "/scans", key: keys[0], files: []upload{{"q.jpg", img}}}
		var first string
		for want := 2; want >= 0; want-- {
			r := n.expect(t, scan, 200, "")
			if r.header.Get("X-RateLimit-Limit") != "3" || r.header.Get("X-RateLimit-Remaining") != strconv.Itoa(want) {
				t.Fatalf("headers %v, want 3 with %d remaining", r.header, want)
			}
			if first == "" {
				first = str(obj(list(r.body["results"])[0])["recordId"])
			}
		}
		refused := n.expect(t, scan, 429, "RATE_LIMITED")
		secs, err := strconv.Atoi(refused.header.Get("Retry-After"))
		if err != nil || secs < 1 || refused.header.Get("X-RateLimit-Remaining") != "0" || refused.header.Get("X-RateLimit-Limit") != "3" {
			t.Fatalf("429 headers %v", refused.header)
		}
		reset, _ := strconv.ParseInt(refused.header.Get("X-RateLimit-Reset"), 10, 64)
		if wait := time.Until(time.Unix(reset, 0)); wait <= 0 || wait > 32*24*time.Hour {
			t.Errorf("X-RateLimit-Reset %d is not the end of this month", reset)
		}
		// Signing counts on its own monthly quota.
		s := n.expect(t, req{method: "POST", path: "/sign", key: keys[0], json: map[string]any{"recordId": first, "declaration": declaration()}}, 200, "")
		if s.header.Get("X-RateLimit-Remaining") != "2" {
			t.Errorf("sign headers %v", s.header)
		}
	})
}
