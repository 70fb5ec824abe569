package trust_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"provgraph/c2pa"
	_ "provgraph/c2pa/asset/all"
	"provgraph/c2pa/cose/cosetest"
	"provgraph/c2pa/trust"
	"provgraph/internal/testenv"
)

// TestOracleChainRules signs with chains that break one chain rule each and
// checks that VerifyClaimSignature agrees with c2pa-rs entry by entry:
// an intermediate expired now (no time-stamp), an intermediate that is not
// a CA, and a path length exceeded.
func TestOracleChainRules(t *testing.T) {
	testenv.Oracle(t)
	now := time.Now()
	tests := []struct {
		name  string
		inter func(*x509.Certificate)
		extra bool // a second intermediate below the first
	}{
		{"valid chain", func(*x509.Certificate) {}, false},
		{"intermediate expired", func(c *x509.Certificate) { c.NotBefore, c.NotAfter = now.AddDate(-2, 0, 0), now.AddDate(0, 0, -1) }, false},
		{"intermediate not a CA", func(c *x509.Certificate) {
			c.IsCA = false
			c.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign
		}, false},
		{"intermediate without keyCertSign", func(c *x509.Certificate) { c.KeyUsage = x509.KeyUsageDigitalSignature }, false},
		{"path length exceeded", func(c *x509.Certificate) { c.MaxPathLen, c.MaxPathLenZero = 0, true }, true},
	}
	tmp := t.TempDir()
	data, err := os.ReadFile(testenv.Fixture(t, "c2pa/jpeg/pt-adobe-20220124-A.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	var outs []string
	stores := map[string]*trust.Store{}
	anchorFiles := map[string]string{}
	for i, tt := range tests {
		root := newTestCA(t)
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := &x509.Certificate{
			Subject: pkix.Name{CommonName: fmt.Sprintf("intermediate %d", i)}, IsCA: true, BasicConstraintsValid: true,
			KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature, NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0),
		}
		tt.inter(tmpl)
		issuer := testCA{root.issue(t, tmpl, &key.PublicKey, nil), key}
		chain := [][]byte{issuer.cert.Raw}
		if tt.extra {
			key2, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
			sub := testCA{issuer.issue(t, &x509.Certificate{
				Subject: pkix.Name{CommonName: "sub-intermediate"}, IsCA: true, BasicConstraintsValid: true,
				KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
			}, &key2.PublicKey, nil), key2}
			chain = append([][]byte{sub.cert.Raw}, chain...)
			issuer = sub
		}
		leafKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		leaf := issuer.issue(t, &x509.Certificate{
			Subject: pkix.Name{CommonName: "signer", Organization: []string{"chain rules"}}, BasicConstraintsValid: true,
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
		}, &leafKey.PublicKey, nil)
		var buf bytes.Buffer
		signer := &c2pa.Signer{Key: leafKey, Chain: append([][]byte{leaf.Raw}, chain...)}
		if err := c2pa.Sign(context.Background(), bytes.NewReader(data), int64(len(data)), "image/jpeg", &buf,
			&c2pa.ManifestDefinition{Title: "A.jpg"}, signer); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		out := filepath.Join(tmp, fmt.Sprintf("case%d.jpg", i))
		if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		anchor := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: root.cert.Raw})
		af := out + ".pem"
		if err := os.WriteFile(af, anchor, 0o644); err != nil {
			t.Fatal(err)
		}
		if stores[out], err = trust.New(trust.Config{NoOfficialLists: true, Anchors: anchor}); err != nil {
			t.Fatal(err)
		}
		anchorFiles[out] = af
		outs = append(outs, out)
	}
	for i, out := range outs {
		t.Run(tests[i].name, func(t *testing.T) {
			res, _ := testenv.OracleVerify(t, out, "--trust", anchorFiles[out], "--compact")
			var want []string
			vr, _ := res["validation_results"].(map[string]any)
			active, _ := vr["activeManifest"].(map[string]any)
			for _, kind := range []string{"success", "informational", "failure"} {
				list, _ := active[kind].([]any)
				for _, x := range list {
					s, _ := x.(map[string]any)
					if code, _ := s["code"].(string); isSignatureStatus(code) {
						want = append(want, fmt.Sprintf("%s %s: %v", kind, code, s["explanation"]))
					}
				}
			}
			ms, err := cosetest.Manifests(out)
			if err != nil {
				t.Fatal(err)
			}
			m := ms[len(ms)-1]
			r := stores[out].VerifyClaimSignature(m.Signature, m.Claim, trust.VerifyOptions{ClaimVersion: claimVersion(m.Claim)})
			var got []string
			for _, kind := range []string{"success", "informational", "failure"} {
				for _, e := range r.Entries {
					if e.Kind.String() == kind {
						got = append(got, fmt.Sprintf("%s %s: %s", kind, e.Code, e.Explanation))
					}
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("entries differ\n got: %q\nwant: %q", got, want)
			}
		})
	}
}
