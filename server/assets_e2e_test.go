package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"provgraph/c2pa"
	"provgraph/c2pa/devsigner"
	"provgraph/cid"
	"provgraph/config"
	"provgraph/db/dbtest"
	"provgraph/ent/account"
	"provgraph/ent/schema/tenant"
	"provgraph/ent/verification"
	"provgraph/internal/testenv"
	"provgraph/retention"
	"provgraph/storage"
)

const scanAssetsMutation = `mutation($files: [Upload!]!, $collectionId: ID, $collectionName: String, $collectionDescription: String) {
  scanAssets(files: $files, collectionId: $collectionId, collectionName: $collectionName, collectionDescription: $collectionDescription) {
    collectionId
    createdCollection
    results {
      fileName
      asset { id fileName mediaType size sha256 cid status originalBlobKey latestScan { id } collections { totalCount } }
      scan { id hasC2PA hasXMP aiModel verdict reason warnings c2paManifest }
      error { code message }
    }
  }
}`

// upload is one file of a multipart GraphQL request.
type upload struct {
	name string
	data []byte
}

// postUploads sends query with files as the GraphQL multipart request spec
// lays it out: operations (files as nulls), the map, then one part per file.
func postUploads(t testing.TB, srv *httptest.Server, key, query string, vars map[string]any, files []upload) gqlResponse {
	t.Helper()
	return sendUploads(t, srv, key, query, vars, files, false)
}

// sendUploads is postUploads, with chunked sending the body without a
// Content-Length.
func sendUploads(t testing.TB, srv *httptest.Server, key, query string, vars map[string]any, files []upload, chunked bool) gqlResponse {
	t.Helper()
	if vars == nil {
		vars = map[string]any{}
	}
	vars["files"] = make([]any, len(files))
	paths := make([]string, len(files))
	for i := range files {
		paths[i] = fmt.Sprintf("variables.files.%d", i)
	}
	return sendMultipart(t, srv, key, query, vars, paths, files, chunked)
}

// sendMultipart sends a GraphQL multipart request: operations with vars
// (files already null in them), the map sending file i to paths[i], then
// one part per file.
func sendMultipart(t testing.TB, srv *httptest.Server, key, query string, vars map[string]any, paths []string, files []upload, chunked bool) gqlResponse {
	t.Helper()
	ops, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	fileMap := map[string][]string{}
	for i := range files {
		fileMap[strconv.Itoa(i)] = []string{paths[i]}
	}
	mapJSON, err := json.Marshal(fileMap)
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if err := mw.WriteField("operations", string(ops)); err != nil {
		t.Fatal(err)
	}
	if err := mw.WriteField("map", string(mapJSON)); err != nil {
		t.Fatal(err)
	}
	for i, f := range files {
		w, err := mw.CreateFormFile(strconv.Itoa(i), f.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(f.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	var rd io.Reader = &body
	if chunked {
		rd = struct{ io.Reader }{&body} // hides the length
	}
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/graphql", rd)
	if err != nil {
		t.Fatal(err)
	}
	if chunked {
		req.ContentLength = -1
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	var out gqlResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("response is not GraphQL JSON (%s): %s", res.Status, raw)
	}
	return out
}

// scanPayload is the decoded result of scanAssets.
type scanPayload struct {
	ScanAssets struct {
		CollectionID      *string `json:"collectionId"`
		CreatedCollection bool    `json:"createdCollection"`
		Results           []struct {
			FileName string `json:"fileName"`
			Asset    *struct {
				ID              string `json:"id"`
				FileName        string `json:"fileName"`
				MediaType       string `json:"mediaType"`
				Size            int64  `json:"size"`
				Sha256          string `json:"sha256"`
				CID             string `json:"cid"`
				Status          string `json:"status"`
				OriginalBlobKey string `json:"originalBlobKey"`
				LatestScan      *struct {
					ID string `json:"id"`
				} `json:"latestScan"`
				Collections struct {
					TotalCount int `json:"totalCount"`
				} `json:"collections"`
			} `json:"asset"`
			Scan *struct {
				ID           string         `json:"id"`
				HasC2PA      bool           `json:"hasC2PA"`
				HasXMP       bool           `json:"hasXMP"`
				AIModel      *string        `json:"aiModel"`
				Verdict      string         `json:"verdict"`
				Reason       string         `json:"reason"`
				Warnings     []string       `json:"warnings"`
				C2PAManifest map[string]any `json:"c2paManifest"`
			} `json:"scan"`
			Error *struct {
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
		} `json:"results"`
	} `json:"scanAssets"`
}

func readFixture(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(testenv.Fixture(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestScanAssetsEndToEnd(t *testing.T) {
	const limit = 3 << 20
	aiPNG := readFixture(t, "c2pa/png/ts-amazon-titan-g1.png")
	plainJPEG := readFixture(t, "c2pa/jpeg/rs-no_manifest.jpg")
	// Past the limit: a real JPEG with bytes after its end.
	oversize := append(append([]byte{}, plainJPEG...), make([]byte, limit)...)
	files := []upload{
		{"titan.png", aiPNG},
		{"photo.jpg", plainJPEG},
		{"huge.jpg", oversize},
		{"notes.jpg", []byte("just some text, whatever the name says\n")},
		// Cut inside its first segment: nothing of it can be read.
		{"header-cut.jpg", plainJPEG[:1024]},
		// Cut inside the image data: its metadata is intact, so it is
		// stored and scanned like any JPEG.
		{"data-cut.jpg", plainJPEG[:50000]},
	}
	type want struct {
		code      string // error code, or "" for a stored asset
		verdicts  []string
		mediaType string
		hasC2PA   bool
	}
	wants := []want{
		{verdicts: []string{"DECLARED_AI", "HINTED_AI"}, mediaType: "image/png", hasC2PA: true},
		{verdicts: []string{"NO_AI_MARKING"}, mediaType: "image/jpeg"},
		{code: "FILE_TOO_LARGE"},
		{code: "UNSUPPORTED_MEDIA_TYPE"},
		{code: "INVALID_FILE"},
		{verdicts: []string{"NO_AI_MARKING"}, mediaType: "image/jpeg"},
	}

	dbtest.Run(t, func(t *testing.T, url string) {
		blobDir := t.TempDir()
		app, srv := newTestServerWith(t, url, func(c *config.Config) {
			c.MaxFileBytes = limit
			c.StorageURL = blobDir
		})
		ctx := tenant.WithSystem(context.Background())

		res := postUploads(t, srv, adminKey, scanAssetsMutation, map[string]any{"collectionName": "shoot", "collectionDescription": "day one"}, files)
		if len(res.Errors) > 0 {
			t.Fatalf("scanAssets: %+v", res.Errors)
		}
		var p scanPayload
		if err := json.Unmarshal(res.Data, &p); err != nil {
			t.Fatal(err)
		}
		out := p.ScanAssets
		if out.CollectionID == nil || !out.CreatedCollection {
			t.Fatalf("collectionId %v, createdCollection %v: want a new collection", out.CollectionID, out.CreatedCollection)
		}
		if len(out.Results) != len(files) {
			t.Fatalf("%d results for %d files", len(out.Results), len(files))
		}
		var stored []string
		for i, r := range out.Results {
			w, f := wants[i], files[i]
			if r.FileName != f.name {
				t.Errorf("result %d is for %q, want %q", i, r.FileName, f.name)
			}
			if w.code != "" {
				if r.Error == nil || r.Error.Code != w.code || r.Asset != nil || r.Scan != nil {
					t.Errorf("%s: result %+v, want only error %s", f.name, r, w.code)
				} else {
					t.Logf("%s: %s: %s", f.name, r.Error.Code, r.Error.Message)
				}
				continue
			}
			if r.Error != nil || r.Asset == nil || r.Scan == nil {
				t.Errorf("%s: error %+v, want an asset and a scan", f.name, r.Error)
				continue
			}
			a, s := r.Asset, r.Scan
			stored = append(stored, a.ID)
			sum := sha256.Sum256(f.data)
			c, n, err := cid.Sum(bytes.NewReader(f.data), cid.Options{Version: 1})
			if err != nil {
				t.Fatal(err)
			}
			if a.Sha256 != hex.EncodeToString(sum[:]) || a.CID != c.String() || a.Size != n || a.Size != int64(len(f.data)) {
				t.Errorf("%s: sha256 %s cid %s size %d; want %x %s %d", f.name, a.Sha256, a.CID, a.Size, sum, c, len(f.data))
			}
			if a.MediaType != w.mediaType || a.Status != "SCANNED" || a.FileName != f.name {
				t.Errorf("%s: media type %s status %s name %s", f.name, a.MediaType, a.Status, a.FileName)
			}
			if a.LatestScan == nil || a.LatestScan.ID != s.ID || a.Collections.TotalCount != 1 {
				t.Errorf("%s: latestScan %+v (scan %s), in %d collections", f.name, a.LatestScan, s.ID, a.Collections.TotalCount)
			}
			if !slices.Contains(w.verdicts, s.Verdict) || s.HasC2PA != w.hasC2PA || (s.C2PAManifest != nil) != w.hasC2PA || s.Reason == "" {
				t.Errorf("%s: scan %+v, want verdict in %v, hasC2PA %v", f.name, s, w.verdicts, w.hasC2PA)
			}
			t.Logf("%s: %s (%s) aiModel %v warnings %v", f.name, s.Verdict, s.Reason, deref(s.AIModel), s.Warnings)
			stored, err := readBlob(app.Deps.Storage, a.OriginalBlobKey)
			if err != nil || !bytes.Equal(stored, f.data) {
				t.Errorf("%s: blob %s: %d bytes, %v; want the uploaded bytes", f.name, a.OriginalBlobKey, len(stored), err)
			}
		}
		if v := out.Results[0].Scan; v != nil && (v.AIModel == nil || *v.AIModel == "") {
			t.Errorf("titan.png: no aiModel in %+v", v)
		}
		// Refused files left nothing: one blob per stored asset.
		if n := countBlobs(t, blobDir); n != len(stored) {
			t.Errorf("%d blobs stored, want %d (one per stored asset)", n, len(stored))
		}
		events, err := app.Deps.Client.Event.Query().All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		scanned := 0
		for _, e := range events {
			if e.Kind == "asset.scanned" {
				scanned++
			}
		}
		if scanned != len(stored) {
			t.Errorf("%d asset.scanned events, want %d", scanned, len(stored))
		}

		// The same collection again, by ID.
		colID := *out.CollectionID
		res = postUploads(t, srv, adminKey, scanAssetsMutation, map[string]any{"collectionId": colID}, files[1:2])
		if err := json.Unmarshal(res.Data, &p); err != nil || len(res.Errors) > 0 {
			t.Fatalf("scanAssets into %s: %+v", colID, res.Errors)
		}
		if got := p.ScanAssets; got.CollectionID == nil || *got.CollectionID != colID || got.CreatedCollection || got.Results[0].Asset == nil {
			t.Errorf("scanAssets into %s: %+v", colID, got)
		} else {
			stored = append(stored, got.Results[0].Asset.ID)
		}
		// Both a collection and a new one: refused before anything is read.
		res = postUploads(t, srv, adminKey, scanAssetsMutation, map[string]any{"collectionId": colID, "collectionName": "x"}, files[1:2])
		if res.code() != "INVALID_INPUT" {
			t.Errorf("collectionId with collectionName: %s %+v, want INVALID_INPUT", res.Data, res.Errors)
		}
		// No collection at all, and a body of unknown length (chunked).
		res = sendUploads(t, srv, adminKey, scanAssetsMutation, nil, files[1:2], true)
		if err := json.Unmarshal(res.Data, &p); err != nil || len(res.Errors) > 0 || p.ScanAssets.CollectionID != nil || p.ScanAssets.Results[0].Asset == nil {
			t.Fatalf("scanAssets without a collection: %s %+v", res.Data, res.Errors)
		}
		loose := p.ScanAssets.Results[0].Asset.ID

		// A verification of one of the collection's assets shows on it.
		firstID, _ := strconv.Atoi(stored[0])
		app.Deps.Client.Verification.Create().
			SetAccountID(adminAccountID(t, app)).
			SetAssetID(firstID).
			SetPublicID("pub-e2e").
			SetTrustTier(verification.TrustTierSignedUntrusted).
			SaveX(ctx)
		const colQuery = `query($id: ID!) { node(id: $id) { ... on Collection { name assets { totalCount edges { node { id } } } verifications { totalCount edges { node { trustTier asset { id } } } } } } }`
		var col struct {
			Node struct {
				Name   string
				Assets struct {
					TotalCount int
				}
				Verifications struct {
					TotalCount int
					Edges      []struct {
						Node struct {
							TrustTier string
							Asset     struct{ ID string }
						}
					}
				}
			}
		}
		mustData(t, srv, adminKey, colQuery, map[string]any{"id": colID}, &col)
		if col.Node.Name != "shoot" || col.Node.Assets.TotalCount != len(stored) {
			t.Errorf("collection %s: %+v, want %d assets", colID, col.Node, len(stored))
		}
		if v := col.Node.Verifications; v.TotalCount != 1 || v.Edges[0].Node.Asset.ID != stored[0] {
			t.Errorf("collection verifications %+v, want the one of asset %s", v, stored[0])
		}

		// addAssetsToCollection: the loose asset joins, twice is once.
		const addAssets = `mutation($c: ID!, $a: [ID!]!) { addAssetsToCollection(collectionId: $c, assetIds: $a) { id assets { totalCount } } }`
		var added struct {
			AddAssetsToCollection struct {
				ID     string
				Assets struct{ TotalCount int }
			}
		}
		for range 2 {
			mustData(t, srv, adminKey, addAssets, map[string]any{"c": colID, "a": []string{loose, stored[0]}}, &added)
			if added.AddAssetsToCollection.Assets.TotalCount != len(stored)+1 {
				t.Errorf("after addAssetsToCollection: %+v, want %d assets", added, len(stored)+1)
			}
		}

		// Another account sees none of it and links none of it.
		other, err := app.Deps.Accounts.CreateAccount(context.Background(), "other", account.PlanStarter)
		if err != nil {
			t.Fatal(err)
		}
		_, otherKey, err := app.Deps.Accounts.CreateKeyFor(context.Background(), other.ID, "other", tenant.AllScopes(), "")
		if err != nil {
			t.Fatal(err)
		}
		res = post(t, srv, otherKey, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": stored[0]})
		if string(res.Data) != `{"node":null}` || res.code() != "NOT_FOUND" {
			t.Errorf("other account's node(asset): %s %+v", res.Data, res.Errors)
		}
		var list struct{ Assets struct{ TotalCount int } }
		mustData(t, srv, otherKey, `{ assets { totalCount } }`, nil, &list)
		if list.Assets.TotalCount != 0 {
			t.Errorf("other account lists %d assets", list.Assets.TotalCount)
		}
		var own struct{ CreateCollection struct{ ID string } }
		mustData(t, srv, otherKey, createCollection, map[string]any{"input": map[string]any{"name": "mine"}}, &own)
		res = post(t, srv, otherKey, addAssets, map[string]any{"c": own.CreateCollection.ID, "a": []string{stored[0]}})
		if res.code() != "NOT_FOUND" {
			t.Errorf("other account adds the first one's asset: %s %+v, want NOT_FOUND", res.Data, res.Errors)
		}
		res = post(t, srv, otherKey, addAssets, map[string]any{"c": colID, "a": []string{}})
		if res.code() != "NOT_FOUND" {
			t.Errorf("other account adds to the first one's collection: %s %+v, want NOT_FOUND", res.Data, res.Errors)
		}
		res = postUploads(t, srv, otherKey, scanAssetsMutation, map[string]any{"collectionId": colID}, files[1:2])
		if res.code() != "NOT_FOUND" {
			t.Errorf("other account scans into the first one's collection: %s %+v, want NOT_FOUND", res.Data, res.Errors)
		}
		var ownCol struct {
			Node struct{ Assets struct{ TotalCount int } }
		}
		mustData(t, srv, otherKey, `query($id: ID!) { node(id: $id) { ... on Collection { assets { totalCount } } } }`, map[string]any{"id": own.CreateCollection.ID}, &ownCol)
		if ownCol.Node.Assets.TotalCount != 0 {
			t.Errorf("other account's collection holds %d assets", ownCol.Node.Assets.TotalCount)
		}
	})
}

// TestScanAssetsLatency logs how long one upload and scan of a ~5 MB JPEG
// takes through the HTTP API, unsigned and signed (then the C2PA engine
// validates it, hashing the whole file). Logged, not asserted.
func TestScanAssetsLatency(t *testing.T) {
	plain := testenv.NoiseJPEG(t, 5<<20)
	signed := signJPEG(t, plain)
	dbtest.Run(t, func(t *testing.T, url string) {
		_, srv := newTestServer(t, url)
		postUploads(t, srv, adminKey, scanAssetsMutation, nil, []upload{{"warm-up.jpg", plain}})
		for _, f := range []upload{{"plain.jpg", plain}, {"signed.jpg", signed}} {
			start := time.Now()
			res := postUploads(t, srv, adminKey, scanAssetsMutation, nil, []upload{f})
			elapsed := time.Since(start)
			var p scanPayload
			if err := json.Unmarshal(res.Data, &p); err != nil || len(res.Errors) > 0 || p.ScanAssets.Results[0].Scan == nil {
				t.Fatalf("scanAssets %s: %s %+v", f.name, res.Data, res.Errors)
			}
			s := p.ScanAssets.Results[0].Scan
			t.Logf("upload+scan of a %.1f MB JPEG (%s, hasC2PA %v, %s) through HTTP: %v", float64(len(f.data))/1e6, f.name, s.HasC2PA, s.Verdict, elapsed)
		}
	})
}

// signJPEG signs a JPEG with a development signer, declaring it made by a
// generative model.
func signJPEG(t testing.TB, img []byte) []byte {
	t.Helper()
	ds, err := devsigner.Dev(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	def := &c2pa.ManifestDefinition{
		ClaimGeneratorInfo: []json.RawMessage{json.RawMessage(`{"name":"provgraph-test","version":"1"}`)},
		Title:              "signed.jpg",
		Format:             "image/jpeg",
		Assertions: []c2pa.AssertionDefinition{{
			Label:   "c2pa.actions.v2",
			Data:    json.RawMessage(`{"actions":[{"action":"c2pa.created","digitalSourceType":"http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"}]}`),
			Created: true,
		}},
	}
	var out bytes.Buffer
	if err := c2pa.Sign(context.Background(), bytes.NewReader(img), int64(len(img)), "image/jpeg", &out, def, c2pa.FromDevSigner(ds.Signer)); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// readBlob returns the bytes stored under key.
func readBlob(store *storage.Store, key string) ([]byte, error) {
	r, err := store.Get(context.Background(), key)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// countBlobs counts the blobs of a folder store (its .attrs files are the
// metadata of the blobs beside them).
func countBlobs(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(path, ".attrs") {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// TestRetentionShowsInGraph expires an upload never signed and reads the
// outcome through GraphQL.
func TestRetentionShowsInGraph(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		app, srv := newTestServer(t, url)
		res := postUploads(t, srv, adminKey, scanAssetsMutation, nil, []upload{{"photo.jpg", readFixture(t, "c2pa/jpeg/rs-no_manifest.jpg")}})
		var p scanPayload
		if err := json.Unmarshal(res.Data, &p); err != nil || len(res.Errors) > 0 || p.ScanAssets.Results[0].Asset == nil {
			t.Fatalf("scanAssets: %s %+v", res.Data, res.Errors)
		}
		a := p.ScanAssets.Results[0].Asset
		sw := retention.NewSweeper(app.Deps.Client, app.Deps.Storage, retention.Options{
			Now: func() time.Time { return time.Now().Add(73 * time.Hour) },
		})
		if rep, err := sw.Sweep(context.Background()); err != nil || rep.Abandoned != 1 {
			t.Fatalf("Sweep = %+v, %v; want the upload expired", rep, err)
		}
		var got struct {
			Node struct {
				Status           string
				OriginalPurgedAt *time.Time
				SignedPurgedAt   *time.Time
			}
		}
		mustData(t, srv, adminKey, `query($id: ID!) { node(id: $id) { ... on Asset { status originalPurgedAt signedPurgedAt } } }`, map[string]any{"id": a.ID}, &got)
		if got.Node.Status != "EXPIRED" || got.Node.OriginalPurgedAt == nil || got.Node.SignedPurgedAt != nil {
			t.Errorf("asset after retention: %+v", got.Node)
		}
		if ok, err := app.Deps.Storage.Exists(context.Background(), a.OriginalBlobKey); err != nil || ok {
			t.Errorf("original blob still stored (%v, %v)", ok, err)
		}
	})
}

// TestUploadOverRequestLimit sends a request larger than --max-upload-bytes:
// it is refused as a whole with FILE_TOO_LARGE, announced or chunked.
func TestUploadOverRequestLimit(t *testing.T) {
	_, srv := newTestServerWith(t, dbtest.SQLiteURL(t), func(c *config.Config) {
		c.MaxUploadBytes = 1 << 20
		c.MaxFileBytes = 1 << 20
	})
	big := []upload{{"big.jpg", testenv.NoiseJPEG(t, 2<<20)}}
	res := sendUploads(t, srv, adminKey, scanAssetsMutation, nil, big, false)
	if res.code() != "FILE_TOO_LARGE" {
		t.Errorf("announced: %s %+v, want FILE_TOO_LARGE", res.Data, res.Errors)
	}
	// Chunked, the body is cut off at the limit mid-parse: gqlgen answers
	// with its own parse error (no code), and nothing is stored.
	res = sendUploads(t, srv, adminKey, scanAssetsMutation, nil, big, true)
	if len(res.Errors) == 0 || string(res.Data) != "null" && len(res.Data) != 0 {
		t.Errorf("chunked: %s %+v, want an error and no data", res.Data, res.Errors)
	}
}
