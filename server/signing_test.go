package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
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
	"provgraph/ent/asset"
	"provgraph/ent/manifest"
	"provgraph/ent/schema/tenant"
	"provgraph/ent/verification"
	"provgraph/internal/testenv"
	"provgraph/server"
)

const (
	signAssets = `mutation($ids: [ID!]!, $d: DeclarationInput!) {
		signAssets(assetIds: $ids, declaration: $d) {
			count
			results {
				assetId status signedAssetUrl certificateUrl urlExpiresInSeconds
				verification { id publicID verifyUrl trust { tier } declaration { aiModel } }
				error { code message }
			}
		}
	}`
	verifyFileOp = `mutation($file: Upload!) {
		verifyFile(file: $file) {
			id expiresAt verifyUrl sha256
			trust { tier label description confidence edgeCase aiDeclared }
			report
		}
	}`
	verificationByID = `query($id: ID!) { verification(id: $id) { id trust { tier } badge(theme: "dark", size: "lg") { svg html json } } }`
	downloadURLs     = `query($id: ID!) { downloadUrls(assetId: $id) { signedAssetUrl certificateUrl urlExpiresInSeconds } }`
)

type signResult struct {
	AssetID             string  `json:"assetId"`
	Status              string  `json:"status"`
	SignedAssetURL      *string `json:"signedAssetUrl"`
	CertificateURL      *string `json:"certificateUrl"`
	URLExpiresInSeconds *int    `json:"urlExpiresInSeconds"`
	Verification        *struct {
		ID        string `json:"id"`
		PublicID  string `json:"publicID"`
		VerifyURL string `json:"verifyUrl"`
		Trust     struct{ Tier string }
		// Declaration is read through an edge of a row the service wrote
		// in a transaction of its own.
		Declaration *struct {
			AIModel string `json:"aiModel"`
		} `json:"declaration"`
	} `json:"verification"`
	Error *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

type signPayload struct {
	SignAssets struct {
		Count   int          `json:"count"`
		Results []signResult `json:"results"`
	} `json:"signAssets"`
}

type verifyPayload struct {
	VerifyFile struct {
		ID        string         `json:"id"`
		ExpiresAt *time.Time     `json:"expiresAt"`
		VerifyURL string         `json:"verifyUrl"`
		SHA256    string         `json:"sha256"`
		Report    map[string]any `json:"report"`
		Trust     struct {
			Tier        string  `json:"tier"`
			Label       string  `json:"label"`
			Description string  `json:"description"`
			Confidence  string  `json:"confidence"`
			EdgeCase    *string `json:"edgeCase"`
			AIDeclared  bool    `json:"aiDeclared"`
		} `json:"trust"`
	} `json:"verifyFile"`
}

// declaration is a valid Article 50 declaration.
func declaration() map[string]any {
	return map[string]any{
		"aiModel":          "dall-e-3",
		"modificationType": "generation",
		"purpose":          "advertising",
		"humanReview":      true,
		"reviewerName":     "Ana Reviewer",
		"organization":     "Example Media",
	}
}

// newPublicServer serves a test server on a listener opened first, so
// that --public-url is the listener's address. With trustDev, the
// development signer's root is configured as a trust anchor.
func newPublicServer(t *testing.T, databaseURL string, trustDev bool) (*server.App, *httptest.Server, string) {
	t.Helper()
	return newPublicServerWith(t, databaseURL, trustDev, func(*config.Config) {})
}

// newPublicServerWith is newPublicServer with the configuration adjusted
// by edit and the Open options opts.
func newPublicServerWith(t *testing.T, databaseURL string, trustDev bool, edit func(*config.Config), opts ...server.OpenOption) (*server.App, *httptest.Server, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.DatabaseURL = databaseURL
	cfg.AdminKey = adminKey
	cfg.RateLimit = 0
	cfg.PublicURL = "http://" + ln.Addr().String()
	ds, err := devsigner.Dev(cfg.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	if trustDev {
		cfg.TrustAnchors = ds.RootPath
	}
	edit(&cfg)
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	app, err := server.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), opts...)
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: app.Handler}}
	srv.Start()
	t.Cleanup(func() {
		srv.Close()
		if err := app.Close(); err != nil {
			t.Errorf("closing app: %v", err)
		}
	})
	return app, srv, ds.RootPath
}

// bigJPEG encodes a noisy w×h image, which JPEG cannot compress much.
func bigJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(1, 2))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(rng.Uint32()), uint8(x), uint8(y), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// scanAsset uploads data through scanAssets and returns the asset's ID.
func scanAsset(t *testing.T, srv *httptest.Server, key, name string, data []byte) string {
	t.Helper()
	res := postUploads(t, srv, key, scanAssetsMutation, nil, []upload{{name, data}})
	var p scanPayload
	if len(res.Errors) > 0 || json.Unmarshal(res.Data, &p) != nil || len(p.ScanAssets.Results) != 1 || p.ScanAssets.Results[0].Asset == nil {
		t.Fatalf("scanAssets: %s %+v", res.Data, res.Errors)
	}
	a := p.ScanAssets.Results[0].Asset
	if a.Status != "SCANNED" {
		t.Fatalf("scanned asset status %s", a.Status)
	}
	return a.ID
}

// nodeID reads a GraphQL ID.
func nodeID(t *testing.T, id string) int {
	t.Helper()
	n, err := strconv.Atoi(id)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// seedAsset stores data as an asset of accountID in status st, with a scan.
func seedAsset(t *testing.T, app *server.App, accountID int, name string, data []byte, st asset.Status) int {
	t.Helper()
	ctx := tenant.WithSystem(context.Background())
	key := fmt.Sprintf("originals/%d/%s", accountID, name)
	if _, err := app.Deps.Storage.Put(ctx, key, bytes.NewReader(data), "image/jpeg", 0); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	a, err := app.Deps.Client.Asset.Create().
		SetAccountID(accountID).
		SetFileName(name).
		SetMediaType("image/jpeg").
		SetSize(int64(len(data))).
		SetSha256(hex.EncodeToString(sum[:])).
		SetOriginalBlobKey(key).
		SetStatus(st).
		Save(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st != asset.StatusPending {
		if _, err := app.Deps.Client.Scan.Create().SetAccountID(accountID).SetAssetID(a.ID).Save(ctx); err != nil {
			t.Fatal(err)
		}
	}
	return a.ID
}

func adminAccountID(t testing.TB, app *server.App) int {
	t.Helper()
	a, err := app.Deps.Client.Account.Query().First(tenant.WithSystem(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}

// get fetches url without an API key.
func get(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

// postUpload sends a GraphQL multipart request with one file as $file.
func postUpload(t *testing.T, srv *httptest.Server, key, query, name string, data []byte) gqlResponse {
	t.Helper()
	return sendMultipart(t, srv, key, query, map[string]any{"file": nil}, []string{"variables.file"}, []upload{{name, data}}, false)
}

func verifyUpload(t *testing.T, srv *httptest.Server, name string, data []byte) verifyPayload {
	t.Helper()
	res := postUpload(t, srv, adminKey, verifyFileOp, name, data)
	if len(res.Errors) > 0 {
		t.Fatalf("verifyFile: %+v", res.Errors)
	}
	var v verifyPayload
	if err := json.Unmarshal(res.Data, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestSignDownloadVerify is the whole flow through the API: sign a ~5 MB
// JPEG, download it through its signed URL, verify it here and in the
// c2pa-rs oracle, tamper with it, read the certificate and the badge.
func TestSignDownloadVerify(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		app, srv, rootPEM := newPublicServer(t, url, true)
		original := bigJPEG(t, 2800, 2100)
		idText := scanAsset(t, srv, adminKey, "photo.jpg", original)
		id := nodeID(t, idText)
		ids := []string{idText}

		start := time.Now()
		var signed signPayload
		mustData(t, srv, adminKey, signAssets, map[string]any{"ids": ids, "d": declaration()}, &signed)
		t.Logf("sign of a %.1f MB JPEG through the API: %s", float64(len(original))/1e6, time.Since(start))
		if signed.SignAssets.Count != 1 || len(signed.SignAssets.Results) != 1 {
			t.Fatalf("signAssets = %+v", signed.SignAssets)
		}
		r := signed.SignAssets.Results[0]
		if r.Status != "COMPLETE" || r.Error != nil || r.SignedAssetURL == nil || r.CertificateURL == nil || r.Verification == nil {
			t.Fatalf("result = %+v (error %+v)", r, r.Error)
		}
		if *r.URLExpiresInSeconds != 600 {
			t.Errorf("urlExpiresInSeconds = %d, want 600", *r.URLExpiresInSeconds)
		}
		for _, u := range []string{*r.SignedAssetURL, *r.CertificateURL, r.Verification.VerifyURL} {
			if !strings.HasPrefix(u, srv.URL+"/") {
				t.Errorf("URL %q is not absolute under the public URL %s", u, srv.URL)
			}
		}
		if r.Verification.VerifyURL != srv.URL+"/verify/"+r.Verification.PublicID {
			t.Errorf("verifyUrl = %q", r.Verification.VerifyURL)
		}
		if r.Verification.Declaration == nil || r.Verification.Declaration.AIModel != "dall-e-3" {
			t.Errorf("signed record's declaration = %+v", r.Verification.Declaration)
		}
		if r.Verification.Trust.Tier != "verified" {
			t.Errorf("signed record tier = %q, want verified", r.Verification.Trust.Tier)
		}

		// Download the signed file.
		res, out := get(t, *r.SignedAssetURL)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("download: %s: %s", res.Status, out)
		}
		if ct := res.Header.Get("Content-Type"); ct != "image/jpeg" {
			t.Errorf("Content-Type = %q", ct)
		}
		if cl := res.Header.Get("Content-Length"); cl != fmt.Sprint(len(out)) {
			t.Errorf("Content-Length = %q, body %d bytes", cl, len(out))
		}
		if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "photo-signed.jpg") {
			t.Errorf("Content-Disposition = %q", cd)
		}
		ctx := tenant.WithSystem(context.Background())
		a, err := app.Deps.Client.Asset.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(out)
		if a.Status != asset.StatusSigned || a.SignedSha256 == nil || *a.SignedSha256 != hex.EncodeToString(sum[:]) || a.SignedCid == nil {
			t.Errorf("asset after signing: status %s, signed sha256 %v, cid %v", a.Status, a.SignedSha256, a.SignedCid)
		}
		m, err := app.Deps.Client.Manifest.Query().Where(manifest.AssetID(id)).Only(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !m.IsActive || m.ClaimGenerator == "" || m.Signer == "" || m.ValidationState != manifest.ValidationStateTrusted || m.StoreBlobKey == "" {
			t.Errorf("manifest row = %+v", m)
		}

		// Verify it here: verified, with the declaration in the manifest.
		start = time.Now()
		v := verifyUpload(t, srv, "photo-signed.jpg", out)
		t.Logf("verify of a %.1f MB JPEG through the API: %s", float64(len(out))/1e6, time.Since(start))
		if v.VerifyFile.Trust.Tier != "verified" || !v.VerifyFile.Trust.AIDeclared || v.VerifyFile.Trust.Confidence != "high" {
			t.Errorf("verifyFile trust = %+v, want verified with AI declared", v.VerifyFile.Trust)
		}
		if v.VerifyFile.SHA256 != "sha256:"+hex.EncodeToString(sum[:]) || v.VerifyFile.ExpiresAt == nil {
			t.Errorf("verifyFile sha256 %q, expiresAt %v", v.VerifyFile.SHA256, v.VerifyFile.ExpiresAt)
		}
		checkManifest(t, v.VerifyFile.Report)

		// The c2pa-rs oracle agrees: Trusted under the development root.
		oracleTrusted(t, "photo-signed.jpg", out, rootPEM)

		// One byte of image data flipped: tampered.
		tampered := bytes.Clone(out)
		tampered[len(tampered)-200] ^= 0x01
		if tv := verifyUpload(t, srv, "tampered.jpg", tampered); tv.VerifyFile.Trust.Tier != "tampered" {
			t.Errorf("tampered tier = %q", tv.VerifyFile.Trust.Tier)
		}
		// The unsigned original has no credentials.
		if ov := verifyUpload(t, srv, "photo.jpg", original); ov.VerifyFile.Trust.Tier != "no_credentials" {
			t.Errorf("original tier = %q", ov.VerifyFile.Trust.Tier)
		}

		// The certificate states the declaration and the verify URL.
		res, pdf := get(t, *r.CertificateURL)
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("certificate: %s %s", res.Status, res.Header.Get("Content-Type"))
		}
		text := pdfText(t, pdf)
		sentence := "This file was generated by dall-e-3 for advertising; reviewed by a person: yes (Ana Reviewer)."
		for _, want := range []string{sentence, r.Verification.VerifyURL} {
			if !strings.Contains(squash(text), squash(want)) {
				t.Errorf("certificate text lacks %q:\n%s", want, text)
			}
		}

		// Signing again signs nothing and hands out fresh URLs.
		var again signPayload
		mustData(t, srv, adminKey, signAssets, map[string]any{"ids": ids, "d": declaration()}, &again)
		r2 := again.SignAssets.Results[0]
		if r2.Status != "COMPLETE" || r2.Verification == nil || r2.Verification.ID != r.Verification.ID || r2.SignedAssetURL == nil {
			t.Fatalf("second signAssets = %+v", r2)
		}
		if n, _ := app.Deps.Client.Manifest.Query().Where(manifest.AssetID(id)).Count(ctx); n != 1 {
			t.Errorf("%d manifests after signing twice, want 1", n)
		}
		if res, again := get(t, *r2.SignedAssetURL); res.StatusCode != http.StatusOK || !bytes.Equal(again, out) {
			t.Errorf("second download: %s, same bytes %v", res.Status, bytes.Equal(again, out))
		}
		var urls struct {
			DownloadUrls struct {
				SignedAssetURL string `json:"signedAssetUrl"`
				CertificateURL string `json:"certificateUrl"`
			} `json:"downloadUrls"`
		}
		mustData(t, srv, adminKey, downloadURLs, map[string]any{"id": id}, &urls)
		if res, _ := get(t, urls.DownloadUrls.CertificateURL); res.StatusCode != http.StatusOK {
			t.Errorf("downloadUrls certificate: %s", res.Status)
		}

		// The public record, its badge and the cached verification.
		var byID struct {
			Verification struct {
				Trust struct{ Tier string }
				Badge struct {
					SVG  string         `json:"svg"`
					HTML string         `json:"html"`
					JSON map[string]any `json:"json"`
				}
			}
		}
		mustData(t, srv, adminKey, verificationByID, map[string]any{"id": v.VerifyFile.ID}, &byID)
		if byID.Verification.Trust.Tier != "verified" || !strings.Contains(byID.Verification.Badge.SVG, "<svg") || byID.Verification.Badge.JSON["tier"] != "verified" {
			t.Errorf("verification(id) = %+v", byID.Verification)
		}
		badgeBase := srv.URL + "/badge/" + r.Verification.PublicID
		for _, tc := range []struct {
			suffix, contentType string
			status              int
		}{
			{".svg", "image/svg+xml", http.StatusOK},
			{".svg?theme=dark&size=sm", "image/svg+xml", http.StatusOK},
			{".html", "text/html; charset=utf-8", http.StatusOK},
			{".json", "application/json", http.StatusOK},
			{".svg?theme=neon", "", http.StatusBadRequest},
			{".svg?size=xl", "", http.StatusBadRequest},
		} {
			res, body := get(t, badgeBase+tc.suffix)
			if res.StatusCode != tc.status || (tc.contentType != "" && res.Header.Get("Content-Type") != tc.contentType) {
				t.Errorf("badge%s: %s %s: %.200s", tc.suffix, res.Status, res.Header.Get("Content-Type"), body)
			}
		}
		if res, _ := get(t, srv.URL+"/badge/nosuchverification.svg"); res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown badge: %s", res.Status)
		}
	})
}

// checkManifest checks the active manifest of a report: the actions with
// the declaration's source type and model, and the declaration assertion.
func checkManifest(t *testing.T, report map[string]any) {
	t.Helper()
	label, _ := report["active_manifest"].(string)
	ms, _ := report["manifests"].(map[string]any)
	m, _ := ms[label].(map[string]any)
	if m == nil {
		t.Fatalf("report has no active manifest: %v", report)
	}
	raw, _ := json.Marshal(m["assertions"])
	var assertions []struct {
		Label string          `json:"label"`
		Data  json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(raw, &assertions); err != nil {
		t.Fatal(err)
	}
	var sawActions, sawDeclaration bool
	for _, a := range assertions {
		switch a.Label {
		case "c2pa.actions.v2":
			var d struct {
				Actions []struct {
					Action            string         `json:"action"`
					DigitalSourceType string         `json:"digitalSourceType"`
					SoftwareAgent     map[string]any `json:"softwareAgent"`
				} `json:"actions"`
			}
			_ = json.Unmarshal(a.Data, &d)
			sawActions = len(d.Actions) > 0 && d.Actions[0].Action == "c2pa.created" &&
				d.Actions[0].DigitalSourceType == "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia" &&
				d.Actions[0].SoftwareAgent["name"] == "dall-e-3"
			if !sawActions {
				t.Errorf("actions = %s", a.Data)
			}
		case "io.provgraph.declaration":
			var d map[string]any
			_ = json.Unmarshal(a.Data, &d)
			sawDeclaration = d["aiModel"] == "dall-e-3" && d["purpose"] == "advertising" && d["reviewerName"] == "Ana Reviewer"
			if !sawDeclaration {
				t.Errorf("declaration assertion = %s", a.Data)
			}
		}
	}
	if !sawActions || !sawDeclaration {
		t.Errorf("manifest lacks actions (%v) or declaration (%v): %s", sawActions, sawDeclaration, raw)
	}
	if cg, _ := json.Marshal(m["claim_generator_info"]); !strings.Contains(string(cg), `"provgraph"`) {
		t.Errorf("claim_generator_info = %s", cg)
	}
}

// oracleTrusted checks that the c2pa-rs oracle reads data as Trusted under
// the anchors in rootPEM.
func oracleTrusted(t *testing.T, name string, data []byte, rootPEM string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	oracle, _ := testenv.OracleVerify(t, file, "--trust", rootPEM)
	if oracle["validation_state"] != "Trusted" {
		t.Errorf("oracle validation_state = %v, status %v", oracle["validation_state"], oracle["validation_status"])
	}
}

// pdfText extracts the text of a PDF with pdftotext.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "certificate.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-raw", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// squash drops whitespace, which PDF line wrapping moves around.
func squash(s string) string {
	return strings.Join(strings.Fields(s), "")
}

// TestSignErrors checks every documented error of signing, downloading
// and reading verifications.
func TestSignErrors(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		app, srv, _ := newPublicServer(t, url, false)
		acct := adminAccountID(t, app)
		small := bigJPEG(t, 64, 48)
		scanned := nodeID(t, scanAsset(t, srv, adminKey, "a.jpg", small))
		// No API leaves an asset PENDING (scanAssets scans at once): seed one.
		pending := seedAsset(t, app, acct, "b.jpg", small, asset.StatusPending)

		ctx := context.Background()
		other, err := app.Deps.Accounts.CreateAccount(ctx, "other", account.PlanStarter)
		if err != nil {
			t.Fatal(err)
		}
		_, otherKey, err := app.Deps.Accounts.CreateKeyFor(ctx, other.ID, "other", tenant.AllScopes(), "")
		if err != nil {
			t.Fatal(err)
		}
		otherAsset := nodeID(t, scanAsset(t, srv, otherKey, "c.jpg", small))

		// Per-asset errors: each result stands on its own.
		var p signPayload
		mustData(t, srv, adminKey, signAssets, map[string]any{"ids": []string{fmt.Sprint(pending), fmt.Sprint(otherAsset), fmt.Sprint(scanned)}, "d": declaration()}, &p)
		codes := []string{}
		for _, r := range p.SignAssets.Results {
			if r.Error != nil {
				codes = append(codes, r.Error.Code)
			} else {
				codes = append(codes, r.Status)
			}
		}
		if strings.Join(codes, ",") != "RECORD_NOT_PENDING,NOT_FOUND,COMPLETE" {
			t.Errorf("per-asset outcomes = %v", codes)
		}
		// Without the trust anchor the instance's own signature is untrusted.
		if r := p.SignAssets.Results[2]; r.Verification == nil || r.Verification.Trust.Tier != "signed_untrusted" {
			t.Errorf("untrusted instance: signed record %+v", r.Verification)
		} else {
			res, out := get(t, *r.SignedAssetURL)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("download: %s", res.Status)
			}
			if v := verifyUpload(t, srv, "a-signed.jpg", out); v.VerifyFile.Trust.Tier != "signed_untrusted" {
				t.Errorf("verifyFile without the trust anchor: tier %q", v.VerifyFile.Trust.Tier)
			}
		}

		// Request-level errors.
		many := make([]string, 51)
		for i := range many {
			many[i] = fmt.Sprint(scanned)
		}
		rules := []struct {
			name  string
			ids   []string
			edit  func(d map[string]any)
			field string
		}{
			{"no assets", []string{}, func(map[string]any) {}, "assetIds"},
			{"51 assets", many, func(map[string]any) {}, "assetIds"},
			{"empty model", nil, func(d map[string]any) { d["aiModel"] = " " }, "declaration.aiModel"},
			{"other without custom model", nil, func(d map[string]any) { d["aiModel"] = "other" }, "declaration.customModel"},
			{"bad modification type", nil, func(d map[string]any) { d["modificationType"] = "painted" }, "declaration.modificationType"},
			{"bad purpose", nil, func(d map[string]any) { d["purpose"] = "fun" }, "declaration.purpose"},
			{"no human review", nil, func(d map[string]any) { delete(d, "humanReview") }, "declaration.humanReview"},
			{"reviewer missing", nil, func(d map[string]any) { delete(d, "reviewerName") }, "declaration.reviewerName"},
			{"text too long", nil, func(d map[string]any) { d["purposeContext"] = strings.Repeat("x", 2001) }, "declaration.purposeContext"},
		}
		for _, tc := range rules {
			t.Run(tc.name, func(t *testing.T) {
				d := declaration()
				tc.edit(d)
				ids := tc.ids
				if ids == nil {
					ids = []string{fmt.Sprint(scanned)}
				}
				res := post(t, srv, adminKey, signAssets, map[string]any{"ids": ids, "d": d})
				if res.code() != "INVALID_INPUT" || !strings.Contains(res.Errors[0].Message, tc.field) {
					t.Errorf("errors = %+v, want INVALID_INPUT naming %s", res.Errors, tc.field)
				}
			})
		}

		// Downloads: forged 404, expired 410, another account's asset NOT_FOUND.
		var urls struct {
			DownloadUrls struct{ SignedAssetURL string } `json:"downloadUrls"`
		}
		mustData(t, srv, adminKey, downloadURLs, map[string]any{"id": scanned}, &urls)
		good := urls.DownloadUrls.SignedAssetURL
		if res, _ := get(t, good); res.StatusCode != http.StatusOK {
			t.Errorf("fresh download URL: %s", res.Status)
		}
		forged := []byte(good)
		forged[len(forged)-3] ^= 0x02
		if res, _ := get(t, string(forged)); res.StatusCode != http.StatusNotFound {
			t.Errorf("forged download URL: %s, want 404", res.Status)
		}
		expired := app.Deps.Downloads.Token(download.Grant{Key: "x/y", FileName: "y", ContentType: "image/jpeg", Expires: time.Now().Add(-time.Minute)})
		if res, _ := get(t, srv.URL+"/download/"+expired); res.StatusCode != http.StatusGone {
			t.Errorf("expired download URL: %s, want 410", res.Status)
		}
		if res := post(t, srv, adminKey, downloadURLs, map[string]any{"id": otherAsset}); res.code() != "NOT_FOUND" {
			t.Errorf("downloadUrls of another account's asset: %+v", res.Errors)
		}
		if res := post(t, srv, adminKey, downloadURLs, map[string]any{"id": pending}); res.code() != "RECORD_NOT_PENDING" {
			t.Errorf("downloadUrls of an unsigned asset: %+v", res.Errors)
		}
		if res := post(t, srv, adminKey, `mutation($id: ID!) { verifyAsset(id: $id) { id } }`, map[string]any{"id": otherAsset}); res.code() != "NOT_FOUND" {
			t.Errorf("verifyAsset of another account's asset: %+v", res.Errors)
		}

		// A verification expires: then NOT_FOUND, and its badge 404.
		var va struct {
			VerifyAsset struct {
				ID       string `json:"id"`
				PublicID string `json:"publicID"`
				Trust    struct{ Tier string }
			} `json:"verifyAsset"`
		}
		mustData(t, srv, adminKey, `mutation($id: ID!) { verifyAsset(id: $id) { id publicID trust { tier } } }`, map[string]any{"id": scanned}, &va)
		if va.VerifyAsset.Trust.Tier != "signed_untrusted" {
			t.Errorf("verifyAsset tier = %q", va.VerifyAsset.Trust.Tier)
		}
		mustData(t, srv, adminKey, verificationByID, map[string]any{"id": va.VerifyAsset.ID}, new(any))
		if res := post(t, srv, adminKey, `query($id: ID!) { verification(id: $id) { badge(theme: "neon") { svg } } }`, map[string]any{"id": va.VerifyAsset.ID}); res.code() != "INVALID_INPUT" {
			t.Errorf("badge with a bad theme: %+v", res.Errors)
		}
		if res, _ := get(t, srv.URL+"/badge/"+va.VerifyAsset.PublicID+".json"); res.StatusCode != http.StatusOK {
			t.Errorf("badge of a live verification: %s", res.Status)
		}
		sys := tenant.WithSystem(ctx)
		if err := app.Deps.Client.Verification.Update().
			Where(verification.PublicID(va.VerifyAsset.PublicID)).
			SetExpiresAt(time.Now().Add(-time.Second)).
			Exec(sys); err != nil {
			t.Fatal(err)
		}
		if res := post(t, srv, adminKey, verificationByID, map[string]any{"id": va.VerifyAsset.ID}); res.code() != "NOT_FOUND" {
			t.Errorf("expired verification: %+v", res.Errors)
		}
		if res, _ := get(t, srv.URL+"/badge/"+va.VerifyAsset.PublicID+".json"); res.StatusCode != http.StatusNotFound {
			t.Errorf("badge of an expired verification: %s", res.Status)
		}
		// Another account cannot read the admin's verification.
		if res := post(t, srv, otherKey, verificationByID, map[string]any{"id": p.SignAssets.Results[2].Verification.ID}); res.code() != "NOT_FOUND" {
			t.Errorf("another account's verification: %+v", res.Errors)
		}
	})
}

// TestSignFileWithCredentials signs a file that already carries Content
// Credentials: the engine opens them (c2pa.opened with the parent
// ingredient) and the declaration's AI involvement follows as an edit.
func TestSignFileWithCredentials(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		_, srv, rootPEM := newPublicServer(t, url, true)
		data, err := os.ReadFile(testenv.Fixture(t, "c2pa/jpeg/pt-adobe-20220124-C.jpg"))
		if err != nil {
			t.Fatal(err)
		}
		id := scanAsset(t, srv, adminKey, "adobe.jpg", data)
		d := declaration()
		d["modificationType"] = "substantial_alteration"
		var p signPayload
		mustData(t, srv, adminKey, signAssets, map[string]any{"ids": []string{fmt.Sprint(id)}, "d": d}, &p)
		r := p.SignAssets.Results[0]
		if r.Status != "COMPLETE" {
			t.Fatalf("signAssets: %+v (error %+v)", r, r.Error)
		}
		res, out := get(t, *r.SignedAssetURL)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("download: %s", res.Status)
		}
		v := verifyUpload(t, srv, "adobe-signed.jpg", out)
		if v.VerifyFile.Trust.Tier != "verified" || !v.VerifyFile.Trust.AIDeclared {
			t.Errorf("trust = %+v", v.VerifyFile.Trust)
		}
		label, _ := v.VerifyFile.Report["active_manifest"].(string)
		m, _ := v.VerifyFile.Report["manifests"].(map[string]any)[label].(map[string]any)
		raw, _ := json.Marshal(m["assertions"])
		var assertions []struct {
			Label string `json:"label"`
			Data  struct {
				Actions []struct {
					Action            string `json:"action"`
					DigitalSourceType string `json:"digitalSourceType"`
				} `json:"actions"`
			} `json:"data"`
		}
		_ = json.Unmarshal(raw, &assertions)
		var actions []string
		for _, a := range assertions {
			if a.Label == "c2pa.actions.v2" {
				for _, act := range a.Data.Actions {
					actions = append(actions, act.Action+" "+act.DigitalSourceType)
				}
			}
		}
		want := []string{"c2pa.opened ", "c2pa.edited http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"}
		if strings.Join(actions, "|") != strings.Join(want, "|") {
			t.Errorf("actions = %q, want %q", actions, want)
		}
		oracleTrusted(t, "adobe-signed.jpg", out, rootPEM)
	})
}
