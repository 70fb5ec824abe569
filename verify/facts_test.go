package verify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/jpeg"
	"os"
	"testing"
	"time"

	"provgraph/c2pa"
	_ "provgraph/c2pa/asset/all"
	"provgraph/c2pa/devsigner"
	"provgraph/internal/testenv"
	"provgraph/verify"
)

// signedJPEG signs a small JPEG with a fresh development signer, declaring
// AI generation, and returns it with the signer's root PEM.
func signedJPEG(t *testing.T) ([]byte, []byte) {
	t.Helper()
	dir := t.TempDir()
	ds, err := devsigner.Dev(dir)
	if err != nil {
		t.Fatal(err)
	}
	root, err := os.ReadFile(ds.RootPath)
	if err != nil {
		t.Fatal(err)
	}
	var src bytes.Buffer
	if err := jpeg.Encode(&src, image.NewGray(image.Rect(0, 0, 32, 32)), nil); err != nil {
		t.Fatal(err)
	}
	actions, _ := json.Marshal(map[string]any{"actions": []any{map[string]any{
		"action":            "c2pa.created",
		"digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
	}}})
	def := &c2pa.ManifestDefinition{Assertions: []c2pa.AssertionDefinition{{Label: "c2pa.actions.v2", Data: actions, Created: true}}}
	var out bytes.Buffer
	if err := c2pa.Sign(context.Background(), bytes.NewReader(src.Bytes()), int64(src.Len()), "image/jpeg", &out, def, c2pa.FromDevSigner(ds.Signer)); err != nil {
		t.Fatal(err)
	}
	return out.Bytes(), root
}

func TestFactsOf(t *testing.T) {
	signed, root := signedJPEG(t)
	flipped := bytes.Clone(signed)
	flipped[len(flipped)-10] ^= 0xff
	fixture := func(rel string) []byte {
		b, err := os.ReadFile(testenv.Fixture(t, "c2pa/"+rel))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name       string
		data       []byte
		anchors    []byte
		tier       verify.Tier
		aiDeclared bool
	}{
		{"signed, root trusted", signed, root, verify.TierVerified, true},
		{"signed, root not trusted", signed, nil, verify.TierSignedUntrusted, true},
		{"one byte flipped", flipped, root, verify.TierTampered, false},
		{"no manifest", fixture("jpeg/pt-adobe-20220124-A.jpg"), nil, verify.TierNoCredentials, false},
		{"data hash mismatch", fixture("jpeg/pt-adobe-20220124-E-dat-CA.jpg"), nil, verify.TierTampered, false},
		{"claim signature mismatch", fixture("jpeg/pt-adobe-20220124-E-sig-CA.jpg"), nil, verify.TierInvalid, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := c2pa.ReadOptions{TrustAnchors: tt.anchors}
			if tt.anchors == nil {
				opts.TrustAnchors = []byte{}
			}
			rep, err := c2pa.Read(context.Background(), bytes.NewReader(tt.data), int64(len(tt.data)), "image/jpeg", opts)
			f := verify.FactsOf(rep, err, time.Now())
			a := verify.Assess(f)
			if a.Tier != tt.tier || a.AIDeclared != tt.aiDeclared {
				t.Errorf("assessment = %+v (facts %+v, read error %v), want tier %s, aiDeclared %v", a, f, err, tt.tier, tt.aiDeclared)
			}
		})
	}
}

func TestFactsOfSigner(t *testing.T) {
	signed, root := signedJPEG(t)
	rep, err := c2pa.Read(context.Background(), bytes.NewReader(signed), int64(len(signed)), "image/jpeg", c2pa.ReadOptions{TrustAnchors: root})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		now     time.Time
		expired bool
	}{
		{"now", time.Now(), false},
		{"in ten years", time.Now().AddDate(10, 0, 0), true},
		{"before issue", time.Now().AddDate(-1, 0, 0), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := verify.FactsOf(rep, nil, tt.now)
			if f.SignerExpiredNow != tt.expired || f.SelfSigned || f.UpdateManifest || !f.Manifest {
				t.Errorf("facts = %+v, want signer expired %v, not self-signed", f, tt.expired)
			}
		})
	}
}
