package verifications_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/jpeg"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"provgraph/accounts"
	"provgraph/apierror"
	"provgraph/c2pa"
	"provgraph/c2pa/devsigner"
	"provgraph/c2pa/trust"
	"provgraph/db/dbtest"
	"provgraph/ent/account"
	"provgraph/ent/asset"
	"provgraph/ent/schema/tenant"
	"provgraph/storage"
	"provgraph/verifications"
	"provgraph/verify"
)

// stream hides every method but Read, as a REST body would arrive.
type stream struct{ r io.Reader }

func (s stream) Read(p []byte) (int, error) { return s.r.Read(p) }

func TestVerifications(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		ctx := context.Background()
		d := dbtest.Open(t, url)
		store, err := storage.Open(ctx, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { store.Close() })
		client := d.Client()
		caller := func(name string) context.Context {
			acc, err := accounts.NewService(client).CreateAccount(ctx, name, account.PlanStarter)
			if err != nil {
				t.Fatal(err)
			}
			return tenant.NewContext(ctx, tenant.Viewer{AccountID: acc.ID, Scopes: tenant.AllScopes()})
		}
		mine, theirs := caller("a"), caller("b")

		ds, err := devsigner.Dev(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		root, err := os.ReadFile(ds.RootPath)
		if err != nil {
			t.Fatal(err)
		}
		ts, err := trust.New(trust.Config{NoOfficialLists: true, Anchors: root})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		svc := verifications.NewService(client, store, verifications.Options{
			Trust: ts, TTL: time.Hour, PublicURL: "https://p.example",
			Now: func() time.Time { return now },
		})

		var plain bytes.Buffer
		if err := jpeg.Encode(&plain, image.NewGray(image.Rect(0, 0, 16, 16)), nil); err != nil {
			t.Fatal(err)
		}
		var signed bytes.Buffer
		if err := c2pa.Sign(ctx, bytes.NewReader(plain.Bytes()), int64(plain.Len()), "image/jpeg", &signed, nil, c2pa.FromDevSigner(ds.Signer)); err != nil {
			t.Fatal(err)
		}

		tests := []struct {
			name      string
			file      func() io.Reader
			data      []byte
			mediaType string
			tier      verify.Tier
			code      apierror.Code
		}{
			{"signed, seekable", func() io.Reader { return bytes.NewReader(signed.Bytes()) }, signed.Bytes(), "image/jpeg", verify.TierVerified, ""},
			{"signed, stream, type from the name", func() io.Reader { return stream{bytes.NewReader(signed.Bytes())} }, signed.Bytes(), "application/octet-stream", verify.TierVerified, ""},
			{"no credentials", func() io.Reader { return bytes.NewReader(plain.Bytes()) }, plain.Bytes(), "image/jpeg", verify.TierNoCredentials, ""},
			{"not a media file", func() io.Reader { return stream{bytes.NewReader([]byte("hello, world"))} }, nil, "text/plain", "", apierror.UnsupportedType},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				v, err := svc.VerifyFile(mine, "f.jpg", tt.mediaType, tt.file())
				if tt.code != "" {
					if apierror.CodeOf(err) != tt.code {
						t.Fatalf("err = %v, want %s", err, tt.code)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				sum := sha256.Sum256(tt.data)
				if verifications.AssessmentOf(v).Tier != tt.tier || v.Sha256 != "sha256:"+hex.EncodeToString(sum[:]) || v.ExpiresAt == nil || !v.ExpiresAt.Equal(now.Add(time.Hour)) {
					t.Errorf("verification = %+v", v)
				}
				if svc.URL(v) != "https://p.example/verify/"+v.PublicID || len(v.PublicID) != 26 {
					t.Errorf("verify URL %s", svc.URL(v))
				}
			})
		}

		// A stored asset whose file retention deleted is not found.
		gone, err := client.Asset.Create().
			SetFileName("gone.jpg").SetMediaType("image/jpeg").SetSize(1).
			SetSha256(strings.Repeat("0", 64)).SetOriginalBlobKey("originals/gone.jpg").
			SetStatus(asset.StatusExpired).
			Save(mine)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.VerifyAsset(mine, gone.ID); apierror.CodeOf(err) != apierror.NotFound {
			t.Errorf("VerifyAsset of a purged asset: %v", err)
		}
		if _, err := svc.VerifyAsset(theirs, gone.ID); apierror.CodeOf(err) != apierror.NotFound {
			t.Errorf("VerifyAsset of another account's asset: %v", err)
		}

		// Reading back: the caller's own, the public route's, and expiry.
		v, err := svc.VerifyFile(mine, "f.jpg", "image/jpeg", bytes.NewReader(signed.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Get(mine, v.ID); err != nil {
			t.Errorf("Get: %v", err)
		}
		if _, err := svc.Get(theirs, v.ID); apierror.CodeOf(err) != apierror.NotFound {
			t.Errorf("Get from another account: %v", err)
		}
		if _, err := svc.GetPublic(ctx, v.PublicID); err != nil {
			t.Errorf("GetPublic: %v", err)
		}
		now = now.Add(time.Hour + time.Second)
		if _, err := svc.Get(mine, v.ID); apierror.CodeOf(err) != apierror.NotFound {
			t.Errorf("Get after expiry: %v", err)
		}
		if _, err := svc.GetPublic(ctx, v.PublicID); apierror.CodeOf(err) != apierror.NotFound {
			t.Errorf("GetPublic after expiry: %v", err)
		}
		n, err := svc.PurgeExpired(ctx)
		if err != nil || n != 4 {
			t.Errorf("PurgeExpired = %d, %v; want the 4 expired verifications", n, err)
		}
	})
}
