package trust_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"

	"provgraph/c2pa/cose"
	"provgraph/c2pa/status"
	"provgraph/c2pa/trust"
)

// TestStapledOCSP signs with an rVals OCSP response from a delegated
// responder and checks the revocation statuses.
func TestStapledOCSP(t *testing.T) {
	root := newTestCA(t)
	interKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	inter := testCA{root.issue(t, &x509.Certificate{
		Subject: pkix.Name{CommonName: "test intermediate"}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}, &interKey.PublicKey, nil), interKey}
	leafKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leaf := inter.issue(t, &x509.Certificate{
		Subject: pkix.Name{CommonName: "signer"}, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
	}, &leafKey.PublicKey, nil)
	respKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	responder := inter.issue(t, &x509.Certificate{
		Subject: pkix.Name{CommonName: "responder"}, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning},
	}, &respKey.PublicKey, nil)

	store, err := trust.New(trust.Config{NoOfficialLists: true, Anchors: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: root.cert.Raw})})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	claim := []byte{0xa0}
	tests := []struct {
		name string
		tmpl ocsp.Response
		want status.Code // "" = no revocation status
		kind status.Kind
	}{
		{"good", ocsp.Response{Status: ocsp.Good, ThisUpdate: now.Add(-time.Hour), NextUpdate: now.Add(time.Hour)}, status.SigningCredentialOCSPNotRevoked, status.Success},
		{"revoked", ocsp.Response{Status: ocsp.Revoked, RevokedAt: now.Add(-time.Minute), ThisUpdate: now.Add(-time.Hour), NextUpdate: now.Add(time.Hour)}, status.SigningCredentialOCSPRevoked, status.Failure},
		{"not yet current", ocsp.Response{Status: ocsp.Good, ThisUpdate: now.Add(time.Hour), NextUpdate: now.Add(2 * time.Hour)}, status.SigningCredentialOCSPRevoked, status.Failure},
		{"unknown", ocsp.Response{Status: ocsp.Unknown, ThisUpdate: now.Add(-time.Hour)}, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl := tt.tmpl
			tmpl.SerialNumber = leaf.SerialNumber
			tmpl.Certificate = responder
			der, err := ocsp.CreateResponse(inter.cert, responder, tmpl, respKey)
			if err != nil {
				t.Fatal(err)
			}
			sig, err := cose.Sign(context.Background(), leafKey, claim, cose.SignOptions{Chain: [][]byte{leaf.Raw, inter.cert.Raw}, OCSP: der})
			if err != nil {
				t.Fatal(err)
			}
			r := store.VerifyClaimSignature(sig, claim, trust.VerifyOptions{ClaimVersion: 2, Now: now})
			if !r.Validated || r.Anchor == nil {
				t.Fatalf("signature not valid and trusted: %v", r.Entries)
			}
			first := r.Entries[0]
			if tt.want == "" {
				for _, e := range r.Entries {
					if e.Code == status.SigningCredentialOCSPNotRevoked || e.Code == status.SigningCredentialOCSPRevoked || e.Code == status.SigningCredentialOCSPSkipped {
						t.Errorf("unexpected %v", e)
					}
				}
				return
			}
			if first.Code != tt.want || first.Kind != tt.kind || first.Explanation == "" {
				t.Errorf("first entry %v, want %s (%v)", first, tt.want, tt.kind)
			}
			// The same response from a c2pa.certificate-status assertion.
			bare, err := cose.Sign(context.Background(), leafKey, claim, cose.SignOptions{Chain: [][]byte{leaf.Raw, inter.cert.Raw}})
			if err != nil {
				t.Fatal(err)
			}
			r = store.VerifyClaimSignature(bare, claim, trust.VerifyOptions{ClaimVersion: 2, Now: now, OCSPResponses: [][]byte{der}})
			if r.Entries[0].Code != tt.want {
				t.Errorf("from the assertion: first entry %v, want %s", r.Entries[0], tt.want)
			}
		})
	}
}
