package signing_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"provgraph/apierror"
	"provgraph/article50"
	"provgraph/assets"
	"provgraph/c2pa"
	"provgraph/c2pa/devsigner"
	"provgraph/db"
	"provgraph/db/dbtest"
	"provgraph/download"
	"provgraph/ent"
	"provgraph/ent/asset"
	"provgraph/ent/manifest"
	"provgraph/internal/servicetest"
	"provgraph/signing"
)

// fixture is a signing Service over a fresh database and blob folder, with
// two callers in two accounts.
type fixture struct {
	svc       *signing.Service
	assets    *assets.Service
	client    *ent.Client
	downloads *download.Signer
	ctx       context.Context
	other     context.Context
}

func newFixture(t testing.TB, url string) *fixture {
	t.Helper()
	st := servicetest.New(t, url)
	return &fixture{
		svc:       st.Signing,
		assets:    st.Assets,
		client:    st.Client,
		downloads: st.Downloads,
		ctx:       st.Caller(t, "a"),
		other:     st.Caller(t, "b"),
	}
}

// upload stores and scans a small JPEG in the caller's account.
func (f *fixture) upload(t testing.TB, ctx context.Context, name string) *ent.Asset {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 40, 30)), nil); err != nil {
		t.Fatal(err)
	}
	return f.uploadData(t, ctx, name, b.Bytes())
}

// uploadData stores and scans data in the caller's account.
func (f *fixture) uploadData(t testing.TB, ctx context.Context, name string, data []byte) *ent.Asset {
	t.Helper()
	res, err := f.assets.Scan(ctx, assets.ScanRequest{Files: []assets.Upload{{FileName: name, Content: bytes.NewReader(data), Size: int64(len(data))}}})
	if err != nil || res.Files[0].Err != nil {
		t.Fatalf("scan: %v %+v", err, res)
	}
	return res.Files[0].Asset
}

func valid() article50.Declaration {
	yes := true
	return article50.Declaration{AIModel: "midjourney-v6", ModificationType: article50.MinorEdit, Purpose: "art", HumanReview: &yes, ReviewerName: "R"}
}

func TestSignAssetsRequestErrors(t *testing.T) {
	f := newFixture(t, dbtest.SQLiteURL(t))
	a := f.upload(t, f.ctx, "a.jpg")
	no := false
	tests := []struct {
		name  string
		ids   []int
		edit  func(d *article50.Declaration)
		field string
	}{
		{"no assets", []int{}, nil, "assetIds"},
		{"too many assets", make([]int, signing.MaxAssets+1), nil, "assetIds"},
		{"model", nil, func(d *article50.Declaration) { d.AIModel = "" }, "declaration.aiModel"},
		{"custom model", nil, func(d *article50.Declaration) { d.AIModel = article50.OtherModel }, "declaration.customModel"},
		{"modification type", nil, func(d *article50.Declaration) { d.ModificationType = "x" }, "declaration.modificationType"},
		{"purpose", nil, func(d *article50.Declaration) { d.Purpose = "x" }, "declaration.purpose"},
		{"human review", nil, func(d *article50.Declaration) { d.HumanReview = nil }, "declaration.humanReview"},
		{"reviewer", nil, func(d *article50.Declaration) { d.ReviewerName = "" }, "declaration.reviewerName"},
		{"organization too long", nil, func(d *article50.Declaration) { d.HumanReview = &no; d.Organization = strings.Repeat("o", 2001) }, "declaration.organization"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids, d := tt.ids, valid()
			if ids == nil {
				ids = []int{a.ID}
			}
			if tt.edit != nil {
				tt.edit(&d)
			}
			_, err := f.svc.SignAssets(f.ctx, ids, d)
			if apierror.CodeOf(err) != apierror.InvalidInput || !strings.Contains(err.Error(), tt.field) {
				t.Errorf("err = %v, want INVALID_INPUT naming %s", err, tt.field)
			}
		})
	}
}

func TestSignAssets(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		ready := f.upload(t, f.ctx, "ready.jpg")
		pending := f.upload(t, f.ctx, "pending.jpg")
		if err := f.client.Asset.UpdateOneID(pending.ID).SetStatus(asset.StatusPending).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		foreign := f.upload(t, f.other, "foreign.jpg")

		if _, err := f.svc.DownloadURLs(f.ctx, ready.ID); apierror.CodeOf(err) != apierror.NotPending {
			t.Errorf("DownloadURLs before signing: %v, want RECORD_NOT_PENDING", err)
		}
		results, err := f.svc.SignAssets(f.ctx, []int{pending.ID, foreign.ID, ready.ID}, valid())
		if err != nil {
			t.Fatal(err)
		}
		want := []apierror.Code{apierror.NotPending, apierror.NotFound, ""}
		for i, r := range results {
			if apierror.CodeOf(r.Err) != want[i] || (r.Err == nil) != (r.Status == signing.StatusComplete) {
				t.Errorf("result %d: status %s, err %v; want code %q", i, r.Status, r.Err, want[i])
			}
		}
		first := results[2]
		if first.Verification == nil || first.Verification.ExpiresAt != nil || first.Verification.DeclarationID == nil {
			t.Fatalf("public record = %+v", first.Verification)
		}
		for _, u := range []string{first.URLs.SignedAsset, first.URLs.Certificate} {
			g, err := f.downloads.Check(strings.TrimPrefix(u, "https://p.example/download/"))
			if err != nil || time.Until(g.Expires) > 5*time.Minute {
				t.Errorf("URL %s: grant %+v, %v", u, g, err)
			}
		}

		// Again: the same record, fresh URLs, no second manifest.
		again, err := f.svc.SignAssets(f.ctx, []int{ready.ID}, valid())
		if err != nil || again[0].Err != nil || again[0].Verification.ID != first.Verification.ID {
			t.Fatalf("second signing: %+v, %v", again, err)
		}
		if n := f.client.Manifest.Query().Where(manifest.AssetID(ready.ID)).CountX(f.ctx); n != 1 {
			t.Errorf("%d manifests, want 1", n)
		}
		if _, err := f.svc.DownloadURLs(f.other, ready.ID); !errors.Is(err, apierror.ErrNotFound) && apierror.CodeOf(err) != apierror.NotFound {
			t.Errorf("DownloadURLs from another account: %v", err)
		}
		got, err := f.client.Asset.Get(f.ctx, ready.ID)
		if err != nil || got.Status != asset.StatusSigned || got.SignedAt == nil || got.SignedCid == nil || *got.SignedSize <= ready.Size {
			t.Errorf("asset = %+v, %v", got, err)
		}
		if gen := f.svc.ClaimGenerator(); !strings.HasPrefix(gen, "provgraph/") {
			t.Errorf("claim generator %q", gen)
		}
	})
}

// TestSignAssetsConcurrently signs one asset from two requests at once,
// each in a transaction of the caller's or in the service's own: one
// signature, and both requests answer with it.
func TestSignAssetsConcurrently(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		for _, callerTx := range []bool{true, false} {
			t.Run(fmt.Sprintf("caller transaction %v", callerTx), func(t *testing.T) {
				f := newFixture(t, url)
				a := f.upload(t, f.ctx, "a.jpg")
				results := make(chan signing.Result, 2)
				errs := make(chan error, 2)
				sign := func(ctx context.Context) error {
					rs, err := f.svc.SignAssets(ctx, []int{a.ID}, valid())
					if err == nil {
						results <- rs[0]
					}
					return err
				}
				for range 2 {
					go func() {
						if callerTx {
							errs <- db.WithTx(f.ctx, f.client, sign)
						} else {
							errs <- sign(f.ctx)
						}
					}()
				}
				for range 2 {
					if err := <-errs; err != nil {
						t.Fatal(err)
					}
				}
				r1, r2 := <-results, <-results
				if r1.Err != nil || r2.Err != nil || r1.Verification.ID != r2.Verification.ID {
					t.Fatalf("results: %+v / %+v", r1, r2)
				}
				// Rows the service wrote in its own transactions still read
				// their edges afterwards (a caller's transaction is the
				// caller's to keep open while it reads).
				for _, r := range []signing.Result{r1, r2} {
					if callerTx {
						break
					}
					if _, err := r.Verification.QueryDeclaration().Only(f.ctx); err != nil {
						t.Errorf("verification's declaration: %v", err)
					}
				}
				if n := f.client.Manifest.Query().Where(manifest.AssetID(a.ID)).CountX(f.ctx); n != 1 {
					t.Errorf("%d manifests, want 1", n)
				}
			})
		}
	})
}

// noisyJPEG encodes a w×h image of noise, which JPEG cannot compress much
// (2800×2100 is about 5 MB).
func noisyJPEG(tb testing.TB, w, h int) []byte {
	tb.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range img.Pix {
		img.Pix[i] = uint8(rng.Uint32())
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// BenchmarkSign signs a ~5 MB JPEG through the service (sign into storage,
// hash and CID, re-validate, certificate, rows) against the baseline of the
// engine alone signing the same file into memory.
func BenchmarkSign(b *testing.B) {
	data := noisyJPEG(b, 2800, 2100)
	f := newFixture(b, dbtest.SQLiteURL(b))
	b.Run("engine", func(b *testing.B) {
		ds, err := devsigner.Dev(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		signer := c2pa.FromDevSigner(ds.Signer)
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if err := c2pa.Sign(context.Background(), bytes.NewReader(data), int64(len(data)), "image/jpeg", io.Discard, nil, signer); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("service", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			a := f.uploadData(b, f.ctx, fmt.Sprintf("%d.jpg", i), data)
			b.StartTimer()
			rs, err := f.svc.SignAssets(f.ctx, []int{a.ID}, valid())
			if err != nil || rs[0].Err != nil {
				b.Fatal(err, rs[0].Err)
			}
		}
	})
}
