package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"provgraph/c2pa/devsigner"
	"provgraph/config"
	"provgraph/db/dbtest"
	"provgraph/ent/account"
	"provgraph/ent/asset"
	entdecl "provgraph/ent/declaration"
	"provgraph/ent/schema/tenant"
	"provgraph/internal/openapitest"
	"provgraph/rest/notarai"
	"provgraph/rest/numbers"
	"provgraph/rest/op"
	"provgraph/rest/openapi"
	"provgraph/server"
)

// The CIDs of "hello world\n" as `ipfs add` computes them.
const (
	helloWorld   = "hello world\n"
	helloWorldV0 = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"
	helloWorldV1 = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4"
)

// numbersPublicURL is the public URL of the Numbers test servers: the
// download URLs they hand out start with it.
const numbersPublicURL = "https://numbers.test"

// numbersMaxFile is the file size limit of the Numbers test servers.
const numbersMaxFile = 1 << 20

// numbersEnv is a server, its keys and a checker of its responses
// against the Numbers OpenAPI document.
type numbersEnv struct {
	app     *server.App
	srv     *httptest.Server
	api     *openapitest.Checker
	rootPEM string
}

// newNumbersEnv starts a server whose development signer root is a
// trust anchor, with files of at most numbersMaxFile bytes, and edit
// applied to its configuration.
func newNumbersEnv(t *testing.T, databaseURL string, api *openapitest.Checker, edit func(*config.Config)) *numbersEnv {
	t.Helper()
	var rootPEM string
	app, srv := newInstance(t, databaseURL, func(cfg *config.Config) {
		ds, err := devsigner.Dev(cfg.DataDir)
		if err != nil {
			t.Fatal(err)
		}
		rootPEM = ds.RootPath
		cfg.TrustAnchors = ds.RootPath
		cfg.PublicURL = numbersPublicURL
		cfg.MaxFileBytes = numbersMaxFile
		edit(cfg)
	})
	return &numbersEnv{app: app, srv: srv, api: api, rootPEM: rootPEM}
}

// key creates an account (or uses the admin account when name is "")
// with a key of scopes and returns the account's ID and the key.
func (e *numbersEnv) key(t *testing.T, name string, scopes ...tenant.Scope) (int, string) {
	t.Helper()
	ctx := context.Background()
	accountID := adminAccountID(t, e.app)
	if name != "" {
		a, err := e.app.Deps.Accounts.CreateAccount(ctx, name, account.PlanStarter)
		if err != nil {
			t.Fatal(err)
		}
		accountID = a.ID
	}
	_, full, err := e.app.Deps.Accounts.CreateKeyFor(ctx, accountID, "numbers test", scopes, "")
	if err != nil {
		t.Fatal(err)
	}
	return accountID, full
}

// call sends a request to the Numbers API path (under /numbers/api/v3)
// with the Authorization header auth (none when empty) and checks the
// response against the document.
func (e *numbersEnv) call(t *testing.T, path, auth, contentType string, body []byte) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+numbers.Prefix+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return e.api.Do(t, e.srv.Client(), req)
}

// numbersPart is one part of a multipart body: a file when fileName is set.
type numbersPart struct {
	name, fileName string
	data           []byte
}

// form encodes parts as multipart/form-data, in order.
func numbersForm(t *testing.T, parts ...numbersPart) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		var w io.Writer
		var err error
		if p.fileName != "" {
			w, err = mw.CreateFormFile(p.name, p.fileName)
		} else {
			w, err = mw.CreateFormField(p.name)
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(p.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), mw.FormDataContentType()
}

// decode unmarshals a JSON body into a map.
func numbersJSON(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, body)
	}
	return v
}

// numbersWantError asserts status and that the body is {"detail": …} containing
// detail, or, when field is set, {field: [message containing detail]}.
func numbersWantError(t *testing.T, res *http.Response, body []byte, status int, field, detail string) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("status %d, want %d: %s", res.StatusCode, status, body)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	v := numbersJSON(t, body)
	if field == "" {
		if d, _ := v["detail"].(string); !strings.Contains(d, detail) {
			t.Errorf("detail %q, want it to contain %q", v["detail"], detail)
		}
		return
	}
	msgs, _ := v[field].([]any)
	if len(msgs) != 1 || len(v) != 1 || !strings.Contains(fmt.Sprint(msgs[0]), detail) {
		t.Errorf("body %s, want {%q: [%q…]}", body, field, detail)
	}
}

// nidOf posts a multipart file to /nid and returns its CID.
func (e *numbersEnv) nidOf(t *testing.T, auth string, data []byte) string {
	t.Helper()
	body, ct := numbersForm(t, numbersPart{"file", "f.bin", data})
	res, out := e.call(t, "/nid", auth, ct, body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("nid: %d %s", res.StatusCode, out)
	}
	return numbersJSON(t, out)["cid"].(string)
}

// register posts data as asset_file and returns the asset.
func (e *numbersEnv) register(t *testing.T, auth, name string, data []byte) map[string]any {
	t.Helper()
	body, ct := numbersForm(t, numbersPart{"caption", "", []byte("a caption")}, numbersPart{"asset_file", name, data})
	res, out := e.call(t, "/assets/", auth, ct, body)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("register: %d %s", res.StatusCode, out)
	}
	return numbersJSON(t, out)
}

// numbersFileServer serves files by path on 127.0.0.1; /slow answers only when
// the client gives up.
func numbersFileServer(t *testing.T, files map[string][]byte) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			<-r.Context().Done()
			return
		}
		b, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(b)
	}))
	t.Cleanup(s.Close)
	return s
}

// TestNumbersNid drives POST /nid: the documented curl examples (a
// multipart file, a JSON fileURL) in both CID versions, the outbound
// rules and size cap of fileURL, and every documented error.
func TestNumbersNid(t *testing.T) {
	api := openapitest.New(t, numbers.OpenAPI())
	big := bytes.Repeat([]byte{7}, numbersMaxFile+1)
	files := numbersFileServer(t, map[string][]byte{"/hello.txt": []byte(helloWorld), "/big.bin": big})
	port := files.URL[strings.LastIndex(files.URL, ":")+1:]
	allowed := "http://localhost:" + port // PROVGRAPH_OUTBOUND_ALLOW names localhost
	refused := "http://127.0.0.1:" + port // loopback, not allowed by address
	dbtest.Run(t, func(t *testing.T, url string) {
		e := newNumbersEnv(t, url, api, func(cfg *config.Config) {
			cfg.OutboundAllow = "localhost"
			cfg.NumbersFetchTimeout = time.Second
		})
		_, scanKey := e.key(t, "", tenant.ScopeScan)
		auth := "token " + scanKey
		jsonBody := func(v any) []byte {
			b, _ := json.Marshal(v)
			return b
		}
		hello := []byte(helloWorld)
		tests := []struct {
			name        string
			contentType string
			body        []byte
			status      int
			cid         string
			version     int
			field       string // of a field error
			detail      string // contained in the error message
		}{
			{name: "multipart file", body: nil, status: 200, cid: helloWorldV1, version: 1},
			{name: "multipart version 0 before the file", status: 200, cid: helloWorldV0, version: 0},
			{name: "multipart version 0 after the file", status: 200, cid: helloWorldV0, version: 0},
			{name: "JSON fileURL", contentType: "application/json", body: jsonBody(map[string]any{"fileURL": allowed + "/hello.txt"}), status: 200, cid: helloWorldV1, version: 1},
			{name: "JSON fileURL version 0", contentType: "application/json", body: jsonBody(map[string]any{"fileURL": allowed + "/hello.txt", "version": 0}), status: 200, cid: helloWorldV0, version: 0},
			{name: "fileURL on a loopback address", contentType: "application/json", body: jsonBody(map[string]any{"fileURL": refused + "/hello.txt"}), status: 400, field: "fileURL", detail: "not an address files may be fetched from"},
			{name: "fileURL too large", contentType: "application/json", body: jsonBody(map[string]any{"fileURL": allowed + "/big.bin"}), status: 400, field: "fileURL", detail: "larger than the limit"},
			{name: "fileURL times out", contentType: "application/json", body: jsonBody(map[string]any{"fileURL": allowed + "/slow"}), status: 400, field: "fileURL", detail: "timed out"},
			{name: "fileURL not found", contentType: "application/json", body: jsonBody(map[string]any{"fileURL": allowed + "/missing"}), status: 400, field: "fileURL", detail: "could not be fetched"},
			{name: "fileURL not a URL", contentType: "application/json", body: jsonBody(map[string]any{"fileURL": "photo.jpg"}), status: 400, field: "fileURL", detail: "valid URL"},
			{name: "fileURL not http", contentType: "application/json", body: jsonBody(map[string]any{"fileURL": "ftp://example.com/a"}), status: 400, field: "fileURL", detail: "http and https"},
			{name: "version 2", contentType: "application/json", body: jsonBody(map[string]any{"fileURL": allowed + "/hello.txt", "version": 2}), status: 400, field: "version", detail: "0 or 1"},
			{name: "version not a number", contentType: "application/json", body: jsonBody(map[string]any{"fileURL": allowed + "/hello.txt", "version": "one"}), status: 400, field: "version", detail: "valid integer"},
			{name: "neither file nor fileURL", contentType: "application/json", body: []byte(`{}`), status: 400, detail: "Either fileURL or file is required."},
			{name: "malformed JSON", contentType: "application/json", body: []byte(`{"fileURL":`), status: 400, detail: "JSON parse error"},
			{name: "plain text body", contentType: "text/plain", body: hello, status: 400, detail: "Either fileURL or file is required."},
			{name: "multipart file too large", status: 400, field: "file", detail: "larger than the limit of 1048576 bytes"},
			{name: "multipart file and fileURL", status: 400, detail: "not both"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				ct, body := tt.contentType, tt.body
				switch tt.name {
				case "multipart file":
					body, ct = numbersForm(t, numbersPart{"file", "hello.txt", hello})
				case "multipart version 0 before the file":
					body, ct = numbersForm(t, numbersPart{"version", "", []byte("0")}, numbersPart{"file", "hello.txt", hello})
				case "multipart version 0 after the file":
					body, ct = numbersForm(t, numbersPart{"file", "hello.txt", hello}, numbersPart{"version", "", []byte("0")})
				case "multipart file too large":
					body, ct = numbersForm(t, numbersPart{"file", "big.bin", big})
				case "multipart file and fileURL":
					body, ct = numbersForm(t, numbersPart{"file", "hello.txt", hello}, numbersPart{"fileURL", "", []byte(allowed + "/hello.txt")})
				}
				res, out := e.call(t, "/nid", auth, ct, body)
				if tt.status != http.StatusOK {
					numbersWantError(t, res, out, tt.status, tt.field, tt.detail)
					return
				}
				if res.StatusCode != http.StatusOK {
					t.Fatalf("status %d: %s", res.StatusCode, out)
				}
				v := numbersJSON(t, out)
				if v["cid"] != tt.cid || v["fileSize"] != float64(len(hello)) || v["cid_version"] != float64(tt.version) {
					t.Errorf("nid = %s, want cid %s, fileSize %d, cid_version %d", out, tt.cid, len(hello), tt.version)
				}
			})
		}
	})
	if api.Checked() < len(dbtest.Dialects())*18 {
		t.Errorf("only %d responses were checked against the document", api.Checked())
	}
}

// TestNumbersAuth drives the token scheme and the scopes: 401 without a
// key, with another scheme or an unknown key; 403 for a revoked key and
// for a key without the route's scope.
func TestNumbersAuth(t *testing.T) {
	api := openapitest.New(t, numbers.OpenAPI())
	dbtest.Run(t, func(t *testing.T, url string) {
		e := newNumbersEnv(t, url, api, func(*config.Config) {})
		accountID, scanKey := e.key(t, "", tenant.ScopeScan)
		_, readKey := e.key(t, "", tenant.ScopeVerifyRead)
		revokedRow, revoked, err := e.app.Deps.Accounts.CreateKeyFor(context.Background(), accountID, "revoked", []tenant.Scope{tenant.ScopeScan}, "")
		if err != nil {
			t.Fatal(err)
		}
		ctx := tenant.NewContext(context.Background(), tenant.Viewer{AccountID: accountID, Scopes: tenant.AllScopes()})
		if _, err := e.app.Deps.Accounts.RevokeKey(ctx, revokedRow.ID); err != nil {
			t.Fatal(err)
		}
		nid := e.register(t, "token "+scanKey, "photo.jpg", bigJPEG(t, 32, 24))["id"].(string)
		tests := []struct {
			name, path, auth string
			status           int
			detail           string
		}{
			{"no Authorization", "/nid", "", 401, "Authentication credentials were not provided."},
			{"Bearer scheme", "/nid", "Bearer " + scanKey, 401, "Authentication credentials were not provided."},
			{"token without a key", "/nid", "token", 401, "No credentials provided."},
			{"token with spaces", "/nid", "token " + scanKey + " extra", 401, "should not contain spaces"},
			{"unknown key", "/nid", "token pg_live_nosuchkey_secret", 401, "Invalid token."},
			{"revoked key", "/nid", "token " + revoked, 403, "revoked"},
			{"nid without the scan scope", "/nid", "token " + readKey, 403, "You do not have permission to perform this action."},
			{"register without the scan scope", "/assets/", "token " + readKey, 403, "You do not have permission"},
			{"c2pa without the sign scope", "/assets/" + nid + "/c2pa/", "token " + scanKey, 403, "You do not have permission"},
			{"scheme in capitals", "/nid", "Token " + scanKey, 200, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				body, ct := numbersForm(t, numbersPart{"file", "hello.txt", []byte(helloWorld)})
				if strings.HasPrefix(tt.path, "/assets/") {
					body, ct = numbersForm(t, numbersPart{"asset_file", "photo.jpg", bigJPEG(t, 16, 16)})
				}
				res, out := e.call(t, tt.path, tt.auth, ct, body)
				if tt.status == http.StatusOK {
					if res.StatusCode != http.StatusOK {
						t.Fatalf("status %d: %s", res.StatusCode, out)
					}
					return
				}
				numbersWantError(t, res, out, tt.status, "", tt.detail)
				if got := res.Header.Get("WWW-Authenticate"); (tt.status == 401) != (got == "Token") {
					t.Errorf("WWW-Authenticate %q on a %d", got, tt.status)
				}
			})
		}
	})
	if api.Checked() < len(dbtest.Dialects())*11 {
		t.Errorf("only %d responses were checked against the document", api.Checked())
	}
}

// TestNumbersRegisterAndC2PA registers files through POST /assets/ and
// signs them through POST /assets/{nid}/c2pa/: the shapes of both, the
// signed download verifying as Trusted in the c2pa-rs oracle under the
// instance's signer root, the idempotent second call, the optional
// declaration, and the errors (bad files, unknown and other accounts'
// NIDs).
func TestNumbersRegisterAndC2PA(t *testing.T) {
	api := openapitest.New(t, numbers.OpenAPI())
	dbtest.Run(t, func(t *testing.T, url string) {
		e := newNumbersEnv(t, url, api, func(*config.Config) {})
		auth := "token " + adminKey
		_, otherKey := e.key(t, "other", tenant.ScopeScan, tenant.ScopeSign)
		photo := bigJPEG(t, 320, 240)

		// Register: the documented multipart asset_file.
		a := e.register(t, auth, "photo.jpg", photo)
		sum := sha256.Sum256(photo)
		nid := e.nidOf(t, auth, photo)
		if a["id"] != nid || a["nid"] != nid || a["proof_hash"] != hex.EncodeToString(sum[:]) ||
			a["asset_file_name"] != "photo.jpg" || a["asset_file_mime_type"] != "image/jpeg" || a["asset_file_size"] != float64(len(photo)) {
			t.Fatalf("registered asset = %v, want id = nid = %s", a, nid)
		}
		if _, err := time.Parse(time.RFC3339, a["uploaded_at"].(string)); err != nil {
			t.Errorf("uploaded_at: %v", err)
		}

		// C2PA: the documented call has a JSON content type and no body.
		res, out := e.call(t, "/assets/"+nid+"/c2pa/", auth, "application/json", nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("c2pa: %d %s", res.StatusCode, out)
		}
		signed := numbersJSON(t, out)
		link, signedCID := signed["url"].(string), signed["cid"].(string)
		if signedCID == nid || !strings.HasPrefix(link, numbersPublicURL+"/download/") {
			t.Fatalf("c2pa = %s: want a download URL and a cid other than the nid %s", out, nid)
		}
		dl, data := get(t, e.srv.URL+strings.TrimPrefix(link, numbersPublicURL))
		if dl.StatusCode != http.StatusOK || dl.Header.Get("Content-Type") != "image/jpeg" {
			t.Fatalf("download: %d %s", dl.StatusCode, dl.Header.Get("Content-Type"))
		}
		if got := e.nidOf(t, auth, data); got != signedCID {
			t.Errorf("CID of the download %s, c2pa said %s", got, signedCID)
		}

		// Signing again signs nothing: the same signed file, a fresh URL.
		res, out = e.call(t, "/assets/"+nid+"/c2pa/", auth, "", nil)
		if res.StatusCode != http.StatusOK || numbersJSON(t, out)["cid"] != signedCID {
			t.Fatalf("second c2pa: %d %s, want cid %s", res.StatusCode, out, signedCID)
		}
		ctx := tenant.WithSystem(context.Background())
		if n, err := e.app.Deps.Client.Manifest.Query().Count(ctx); err != nil || n != 1 {
			t.Errorf("%d manifests (%v), want 1", n, err)
		}

		// A declaration in the body is the one signed with.
		other := e.register(t, auth, "art.jpg", bigJPEG(t, 64, 48))["id"].(string)
		decl, _ := json.Marshal(map[string]any{"declaration": declaration()})
		res, out = e.call(t, "/assets/"+other+"/c2pa/", auth, "application/json", decl)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("c2pa with a declaration: %d %s", res.StatusCode, out)
		}
		declared := func(nid string) []string {
			a, err := e.app.Deps.Client.Asset.Query().Where(asset.Cid(nid)).Only(ctx)
			if err != nil {
				t.Fatal(err)
			}
			models, err := e.app.Deps.Client.Declaration.Query().Where(entdecl.AssetID(a.ID)).
				Select(entdecl.FieldAiModel).Strings(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return models
		}
		if got, want := declared(other), declaration()["aiModel"]; len(got) != 1 || got[0] != want {
			t.Errorf("signed with the declarations %q, want the request's aiModel %q", got, want)
		}
		if got := declared(nid); len(got) != 0 {
			t.Errorf("signed without a declaration, but one was recorded: %q", got)
		}

		third := e.register(t, auth, "third.jpg", bigJPEG(t, 48, 32))["id"].(string)
		jpegText := []byte("plain text, not an image")
		badPurpose := declaration()
		badPurpose["purpose"] = "fun"
		badDecl, _ := json.Marshal(map[string]any{"declaration": badPurpose})
		tests := []struct {
			name, path, contentType string
			body                    []byte
			auth                    string
			status                  int
			field, detail           string
		}{
			{"register a text file", "/assets/", "", nil, auth, 400, "asset_file", "unsupported media type"},
			{"register too large", "/assets/", "", nil, auth, 400, "asset_file", "file too large"},
			{"register without asset_file", "/assets/", "", nil, auth, 400, "asset_file", "No file was submitted."},
			{"register asset_file not a file", "/assets/", "", nil, auth, 400, "asset_file", "not a file"},
			{"register a JSON body", "/assets/", "application/json", []byte(`{"asset_file":"x"}`), auth, 400, "asset_file", "No file was submitted."},
			{"register a text body", "/assets/", "text/plain", jpegText, auth, 415, "", "Unsupported media type"},
			{"c2pa of an unknown nid", "/assets/" + helloWorldV1 + "/c2pa/", "", nil, auth, 404, "", "Not found."},
			{"c2pa of another account's nid", "/assets/" + nid + "/c2pa/", "", nil, "token " + otherKey, 404, "", "Not found."},
			{"c2pa with an invalid declaration", "/assets/" + third + "/c2pa/", "application/json", badDecl, auth, 400, "declaration.purpose", "must be one of"},
			{"c2pa with an incomplete declaration", "/assets/" + third + "/c2pa/", "application/json", []byte(`{"declaration":{"purpose":"art"}}`), auth, 400, "declaration.aiModel", "is required"},
			{"c2pa with a declaration of the wrong type", "/assets/" + third + "/c2pa/", "application/json", []byte(`{"declaration":{"humanReview":"yes"}}`), auth, 400, "declaration.humanReview", "valid boolean"},
			{"c2pa with malformed JSON", "/assets/" + third + "/c2pa/", "application/json", []byte(`{"declaration":`), auth, 400, "", "JSON parse error"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				ct, body := tt.contentType, tt.body
				switch tt.name {
				case "register a text file":
					body, ct = numbersForm(t, numbersPart{"asset_file", "notes.txt", jpegText})
				case "register too large":
					body, ct = numbersForm(t, numbersPart{"asset_file", "big.jpg", append(bigJPEG(t, 16, 16), make([]byte, numbersMaxFile)...)})
				case "register without asset_file":
					body, ct = numbersForm(t, numbersPart{"caption", "", []byte("no file")})
				case "register asset_file not a file":
					body, ct = numbersForm(t, numbersPart{"asset_file", "", photo[:100]})
				}
				res, out := e.call(t, tt.path, tt.auth, ct, body)
				numbersWantError(t, res, out, tt.status, tt.field, tt.detail)
			})
		}
		// Last, as it skips without the oracle (outside CI).
		oracleTrusted(t, "photo-signed.jpg", data, e.rootPEM)
	})
	if api.Checked() < len(dbtest.Dialects())*20 {
		t.Errorf("only %d responses were checked against the document", api.Checked())
	}
}

// TestNumbersRateLimits drives the shared, database-counted limits: the
// key's requests per minute and the account's monthly plan quota, each
// counting down to a 429 with Retry-After.
func TestNumbersRateLimits(t *testing.T) {
	api := openapitest.New(t, numbers.OpenAPI())
	// perMinute is more than the monthly subtest's key makes.
	const perMinute = 10
	dbtest.Run(t, func(t *testing.T, url string) {
		e := newNumbersEnv(t, url, api, func(cfg *config.Config) { cfg.KeyRequestsPerMinute = perMinute })

		t.Run("requests per minute", func(t *testing.T) {
			_, key := e.key(t, "", tenant.ScopeScan)
			start := time.Now().UTC().Truncate(time.Minute)
			for i := 1; ; i++ {
				body, ct := numbersForm(t, numbersPart{"file", "hello.txt", []byte(helloWorld)})
				res, out := e.call(t, "/nid", "token "+key, ct, body)
				if res.StatusCode == http.StatusOK {
					if i > 2*perMinute {
						t.Fatalf("request %d is still allowed", i)
					}
					continue
				}
				numbersWantError(t, res, out, http.StatusTooManyRequests, "", "Request was throttled. Expected available in")
				secs, err := strconv.Atoi(res.Header.Get("Retry-After"))
				if err != nil || secs < 1 || secs > 60 {
					t.Errorf("Retry-After %q", res.Header.Get("Retry-After"))
				}
				if !strings.Contains(string(out), "in "+strconv.Itoa(secs)+" seconds") {
					t.Errorf("detail %s does not say Retry-After %d", out, secs)
				}
				if i != perMinute+1 && time.Now().UTC().Truncate(time.Minute).Equal(start) {
					t.Errorf("refused request %d, want %d", i, perMinute+1)
				}
				break
			}
		})

		t.Run("monthly plan quota", func(t *testing.T) {
			accountID, key := e.key(t, "quota", tenant.ScopeScan, tenant.ScopeSign)
			ctx := tenant.WithSystem(context.Background())
			if err := e.app.Deps.Client.Account.UpdateOneID(accountID).SetMonthlyAssetQuota(2).Exec(ctx); err != nil {
				t.Fatal(err)
			}
			auth := "token " + key
			var nids []string
			for i := range 2 {
				nids = append(nids, e.register(t, auth, fmt.Sprintf("q%d.jpg", i), bigJPEG(t, 16+i, 16))["id"].(string))
			}
			body, ct := numbersForm(t, numbersPart{"asset_file", "q3.jpg", bigJPEG(t, 20, 16)})
			res, out := e.call(t, "/assets/", auth, ct, body)
			numbersWantError(t, res, out, http.StatusTooManyRequests, "", "Request was throttled.")
			secs, err := strconv.Atoi(res.Header.Get("Retry-After"))
			if err != nil || secs < 1 || secs > 31*24*3600 {
				t.Errorf("Retry-After %q, want the seconds to the end of the month", res.Header.Get("Retry-After"))
			}
			// Signs count on their own: two, then the third asset is refused.
			for _, nid := range nids {
				if res, out := e.call(t, "/assets/"+nid+"/c2pa/", auth, "", nil); res.StatusCode != http.StatusOK {
					t.Fatalf("c2pa within the quota: %d %s", res.StatusCode, out)
				}
			}
			seeded := seedAsset(t, e.app, accountID, "seeded.jpg", bigJPEG(t, 16, 16), asset.StatusScanned)
			if err := e.app.Deps.Client.Asset.UpdateOneID(seeded).SetCid("bafyseeded").Exec(ctx); err != nil {
				t.Fatal(err)
			}
			res, out = e.call(t, "/assets/bafyseeded/c2pa/", auth, "", nil)
			numbersWantError(t, res, out, http.StatusTooManyRequests, "", "Request was throttled.")
			if res.Header.Get("Retry-After") == "" {
				t.Error("no Retry-After")
			}
			// An asset signed already is not signed again, so not counted.
			if res, out := e.call(t, "/assets/"+nids[0]+"/c2pa/", auth, "", nil); res.StatusCode != http.StatusOK {
				t.Errorf("c2pa of a signed asset over the quota: %d %s", res.StatusCode, out)
			}
		})
	})
}

// TestNumbersOpenAPIPublished reads the merged document and its page
// from a server, and an unknown Numbers path.
func TestNumbersOpenAPIPublished(t *testing.T) {
	_, srv := newTestServer(t, dbtest.SQLiteURL(t))
	res, doc := get(t, srv.URL+openapi.DocumentPath)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET /openapi.json: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	openapitest.New(t, doc)
	paths, err := openapi.Paths(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range [][]byte{op.OpenAPI(), notarai.OpenAPI(), numbers.OpenAPI()} {
		own, err := openapi.Paths(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range own {
			if !slices.Contains(paths, p) {
				t.Errorf("/openapi.json lacks %s", p)
			}
		}
	}
	for _, p := range []string{"/numbers/api/v3/nid", "/numbers/api/v3/assets/", "/numbers/api/v3/assets/{nid}/c2pa/"} {
		if !slices.Contains(paths, p) {
			t.Errorf("/openapi.json lacks %s", p)
		}
	}
	res, page := get(t, srv.URL+"/api-docs")
	if res.StatusCode != http.StatusOK || !strings.Contains(string(page), "/numbers/api/v3/assets/{nid}/c2pa/") {
		t.Errorf("GET /api-docs: %d", res.StatusCode)
	}
	if csp := res.Header.Get("Content-Security-Policy"); csp != "default-src 'self'" {
		t.Errorf("CSP %q", csp)
	}
	// Outside the documented paths and methods the Numbers error body
	// still applies.
	res, body := get(t, srv.URL+numbers.Prefix+"/assets/"+helloWorldV1+"/")
	if res.StatusCode != http.StatusNotFound || string(body) != "{\"detail\":\"Not found.\"}\n" {
		t.Errorf("unknown path: %d %s", res.StatusCode, body)
	}
	res, body = get(t, srv.URL+numbers.Prefix+"/nid")
	if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "POST" || string(body) != "{\"detail\":\"Method \\\"GET\\\" not allowed.\"}\n" {
		t.Errorf("GET /nid: %d %s", res.StatusCode, body)
	}
}
