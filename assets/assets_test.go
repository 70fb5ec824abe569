package assets_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"testing"

	"provgraph/accounts"
	"provgraph/apierror"
	"provgraph/assets"
	"provgraph/cid"
	"provgraph/collections"
	"provgraph/db/dbtest"
	"provgraph/ent"
	"provgraph/ent/account"
	entscan "provgraph/ent/scan"
	"provgraph/ent/schema/tenant"
	"provgraph/events"
	"provgraph/internal/testenv"
	"provgraph/storage"
	"provgraph/storage/storagetest"
)

// fixture is a Service over a fresh database and blob folder, and a caller.
type fixture struct {
	svc    *assets.Service
	client *ent.Client
	store  *storage.Store
	ctx    context.Context
}

func newFixture(t testing.TB, url string, opts assets.Options) *fixture {
	t.Helper()
	ctx := context.Background()
	d := dbtest.Open(t, url)
	store := storagetest.Open(t)
	client := d.Client()
	acc, err := accounts.NewService(client).CreateAccount(ctx, "a", account.PlanStarter)
	if err != nil {
		t.Fatal(err)
	}
	ev := events.NewService(client, events.NewBroker())
	svc := assets.NewService(client, store, ev, collections.NewService(client, ev), opts)
	return &fixture{
		svc:    svc,
		client: client,
		store:  store,
		ctx:    tenant.NewContext(ctx, tenant.Viewer{AccountID: acc.ID, Scopes: tenant.AllScopes()}),
	}
}

// stream hides every method but Read, as a REST body would arrive.
type stream struct{ r io.Reader }

func (s stream) Read(p []byte) (int, error) { return s.r.Read(p) }

func TestScanFiles(t *testing.T) {
	jpeg, err := os.ReadFile(testenv.Fixture(t, "c2pa/jpeg/rs-no_manifest.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	signed, err := os.ReadFile(testenv.Fixture(t, "c2pa/jpeg/pt-adobe-20220124-CA.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	const limit = 200 << 10
	tests := []struct {
		name     string
		file     func() assets.Upload // a fresh reader per run
		data     []byte
		wantErr  error // a sentinel of apierror, or nil
		verdict  entscan.Verdict
		hasC2PA  bool
		warnings bool
	}{
		{name: "seekable upload", file: func() assets.Upload {
			return assets.Upload{FileName: "a.jpg", Content: bytes.NewReader(jpeg), Size: int64(len(jpeg))}
		}, data: jpeg, verdict: entscan.VerdictNoAIMarking},
		{name: "stream read back from storage", file: func() assets.Upload {
			return assets.Upload{FileName: "b.jpg", Content: stream{bytes.NewReader(jpeg)}, Size: -1}
		}, data: jpeg, verdict: entscan.VerdictNoAIMarking},
		{name: "signed stream", file: func() assets.Upload {
			return assets.Upload{FileName: "c.jpg", Content: stream{bytes.NewReader(signed)}, Size: -1}
		}, data: signed, verdict: entscan.VerdictNoAIMarking, hasC2PA: true},
		{name: "announced too large", file: func() assets.Upload {
			return assets.Upload{FileName: "d.jpg", Content: bytes.NewReader(jpeg), Size: limit + 1}
		}, wantErr: apierror.ErrFileTooLarge},
		{name: "streamed too large", file: func() assets.Upload {
			return assets.Upload{FileName: "e.jpg", Content: stream{io.MultiReader(bytes.NewReader(jpeg), bytes.NewReader(make([]byte, limit)))}, Size: -1}
		}, wantErr: apierror.ErrFileTooLarge},
		{name: "text", file: func() assets.Upload {
			return assets.Upload{FileName: "f.png", Content: bytes.NewReader([]byte("hello")), Size: 5}
		}, wantErr: apierror.ErrUnsupportedMediaType},
		{name: "empty", file: func() assets.Upload { return assets.Upload{FileName: "g.png", Content: bytes.NewReader(nil), Size: 0} }, wantErr: apierror.ErrUnsupportedMediaType},
		{name: "header cut", file: func() assets.Upload {
			return assets.Upload{FileName: "h.jpg", Content: stream{bytes.NewReader(jpeg[:300])}, Size: -1}
		}, wantErr: apierror.ErrInvalidFile},
		{name: "cut after some metadata", file: func() assets.Upload {
			return assets.Upload{FileName: "i.jpg", Content: bytes.NewReader(jpeg[:4096]), Size: 4096}
		}, data: jpeg[:4096], verdict: entscan.VerdictNoAIMarking, warnings: true},
	}
	dbtest.Run(t, func(t *testing.T, url string) {
		f := newFixture(t, url, assets.Options{MaxFileBytes: limit})
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res, err := f.svc.Scan(f.ctx, assets.ScanRequest{Files: []assets.Upload{tt.file()}})
				if err != nil {
					t.Fatal(err)
				}
				r := res.Files[0]
				if tt.wantErr != nil {
					var fe *assets.FileError
					if !errors.Is(r.Err, tt.wantErr) || !errors.As(r.Err, &fe) || r.Asset != nil {
						t.Fatalf("result %+v, want %v", r, tt.wantErr)
					}
					return
				}
				if r.Err != nil {
					t.Fatal(r.Err)
				}
				sum := sha256.Sum256(tt.data)
				c, _, err := cid.Sum(bytes.NewReader(tt.data), cid.Options{Version: 1})
				if err != nil {
					t.Fatal(err)
				}
				if r.Asset.Sha256 != hex.EncodeToString(sum[:]) || r.Asset.Cid != c.String() || r.Asset.Size != int64(len(tt.data)) {
					t.Errorf("asset %+v, want sha256 %x, cid %s", r.Asset, sum, c)
				}
				if r.Scan.Verdict != tt.verdict || r.Scan.HasC2pa != tt.hasC2PA || (len(r.Scan.Warnings) > 0) != tt.warnings {
					t.Errorf("scan: verdict %s hasC2PA %v warnings %v", r.Scan.Verdict, r.Scan.HasC2pa, r.Scan.Warnings)
				}
				if tt.hasC2PA && r.Scan.Report["c2paManifest"] == nil {
					t.Errorf("no C2PA report kept: %v", r.Scan.Report)
				}
				ok, err := f.store.Exists(f.ctx, r.Asset.OriginalBlobKey)
				if err != nil || !ok {
					t.Errorf("blob %s: %v %v", r.Asset.OriginalBlobKey, ok, err)
				}
			})
		}
	})
}

func TestScanRefusesBadCollections(t *testing.T) {
	f := newFixture(t, dbtest.SQLiteURL(t), assets.Options{})
	id, name, empty := 1, "x", ""
	tests := []struct {
		name string
		req  assets.ScanRequest
		want apierror.Code
	}{
		{"both an ID and a name", assets.ScanRequest{CollectionID: &id, CollectionName: &name}, apierror.InvalidInput},
		{"an empty name", assets.ScanRequest{CollectionName: &empty}, apierror.InvalidInput},
		{"an unknown ID", assets.ScanRequest{CollectionID: &id}, apierror.NotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.svc.Scan(f.ctx, tt.req)
			if got := apierror.CodeOf(err); got != tt.want {
				t.Fatalf("err = %v (%s), want %s", err, got, tt.want)
			}
		})
	}
}
