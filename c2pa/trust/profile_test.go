package trust_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"testing"
	"time"

	"provgraph/c2pa/status"
	"provgraph/c2pa/trust"
)

type testCA struct {
	cert *x509.Certificate
	key  crypto.Signer
}

func newTestCA(t *testing.T) testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test root"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return testCA{c, key}
}

// issue signs a leaf from tmpl (defaults filled in) with pub, by ca or
// self-signed when ca is nil.
func (ca testCA) issue(t *testing.T, tmpl *x509.Certificate, pub crypto.PublicKey, priv crypto.Signer) *x509.Certificate {
	t.Helper()
	if tmpl.SerialNumber == nil {
		tmpl.SerialNumber = big.NewInt(time.Now().UnixNano())
	}
	if tmpl.NotBefore.IsZero() {
		tmpl.NotBefore, tmpl.NotAfter = time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	}
	parent, signer := ca.cert, ca.key
	if ca.cert == nil {
		parent, signer = tmpl, priv
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCheckProfile(t *testing.T) {
	ca := newTestCA(t)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p224, _ := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	rsa1024, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	leaf := func(mod func(*x509.Certificate)) *x509.Certificate {
		tmpl := &x509.Certificate{
			Subject: pkix.Name{CommonName: "signer"}, BasicConstraintsValid: true,
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
		}
		if mod != nil {
			mod(tmpl)
		}
		return ca.issue(t, tmpl, &ecKey.PublicKey, nil)
	}
	docSigning := asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 36}
	tests := []struct {
		name   string
		cert   *x509.Certificate
		opts   trust.ProfileOptions
		code   status.Code
		reason string
	}{
		{"good leaf", leaf(nil), trust.ProfileOptions{EndEntity: true}, "", ""},
		{"expired at signing time", leaf(nil), trust.ProfileOptions{At: time.Now().Add(48 * time.Hour)}, status.SigningCredentialExpired, "certificate expired"},
		{"not yet valid", leaf(nil), trust.ProfileOptions{At: time.Now().Add(-48 * time.Hour)}, status.SigningCredentialExpired, "certificate expired"},
		{"CA as end entity", leaf(func(c *x509.Certificate) { c.IsCA = true; c.KeyUsage |= x509.KeyUsageCertSign }), trust.ProfileOptions{EndEntity: true}, status.SigningCredentialInvalid, "expected end-entity certificate"},
		{"no EKU on a leaf", leaf(func(c *x509.Certificate) { c.ExtKeyUsage = nil }), trust.ProfileOptions{}, status.SigningCredentialInvalid, "certificate params incorrect"},
		{"any EKU", leaf(func(c *x509.Certificate) { c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageAny} }), trust.ProfileOptions{}, status.SigningCredentialInvalid, "certificate 'any' EKU not allowed"},
		{"documentSigning only (Microsoft fixtures)", leaf(func(c *x509.Certificate) {
			c.ExtKeyUsage = nil
			c.UnknownExtKeyUsage = []asn1.ObjectIdentifier{docSigning}
		}), trust.ProfileOptions{}, status.SigningCredentialInvalid, "certificate missing required EKU"},
		{"documentSigning with trust_config", leaf(func(c *x509.Certificate) {
			c.ExtKeyUsage = nil
			c.UnknownExtKeyUsage = []asn1.ObjectIdentifier{docSigning}
		}), trust.ProfileOptions{ExtraEKUs: trust.ParseEKUConfig([]byte(trust.DefaultEKUConfig))}, "", ""},
		{"timeStamping with emailProtection", leaf(func(c *x509.Certificate) {
			c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping, x509.ExtKeyUsageEmailProtection}
		}), trust.ProfileOptions{}, status.SigningCredentialInvalid, "certificate invalid set of EKUs"},
		{"no key usage", leaf(func(c *x509.Certificate) { c.KeyUsage = 0 }), trust.ProfileOptions{}, status.SigningCredentialInvalid, "certificate params incorrect"},
		{"certSign on a leaf", leaf(func(c *x509.Certificate) { c.KeyUsage |= x509.KeyUsageCertSign }), trust.ProfileOptions{}, status.SigningCredentialInvalid, "certificate missing digitalSignature EKU"},
		{"unknown critical extension", leaf(func(c *x509.Certificate) {
			c.ExtraExtensions = []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 2, 3, 4}, Critical: true, Value: []byte{5, 0}}}
		}), trust.ProfileOptions{}, status.SigningCredentialInvalid, "certificate params incorrect"},
		{"P-224 key", ca.issue(t, &x509.Certificate{KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}}, &p224.PublicKey, nil), trust.ProfileOptions{}, status.SigningCredentialInvalid, "certificate unsupported EC curve"},
		{"RSA 1024", ca.issue(t, &x509.Certificate{KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}}, &rsa1024.PublicKey, nil), trust.ProfileOptions{}, status.SigningCredentialInvalid, "certificate key length too short"},
		{"self-signed CA", ca.cert, trust.ProfileOptions{}, status.SigningCredentialInvalid, "certificate issuer and subject cannot be the same (self-signed disallowed)"},
		{"self-signed leaf has no AKI", testCA{}.issue(t, &x509.Certificate{
			Subject: pkix.Name{CommonName: "lonely"}, KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
		}, &ecKey.PublicKey, ecKey), trust.ProfileOptions{}, status.SigningCredentialInvalid, "certificate params incorrect"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := trust.CheckProfile(tt.cert, tt.opts)
			switch {
			case tt.code == "" && err != nil:
				t.Errorf("unexpected %v", err)
			case tt.code != "" && err == nil:
				t.Errorf("accepted, want %s %q", tt.code, tt.reason)
			case tt.code != "" && (err.Code != tt.code || err.Explanation != tt.reason):
				t.Errorf("got %s %q, want %s %q", err.Code, err.Explanation, tt.code, tt.reason)
			}
		})
	}
}

func TestParseEKUConfig(t *testing.T) {
	got := trust.ParseEKUConfig([]byte("// comment\n1.3.6.1.5.5.7.3.4 \r\n1.2.x\n\n1.3.6.1.4.1.62558.2.1"))
	if len(got) != 1 || !got[0].Equal(trust.OIDC2PAClaimSigning) {
		// "1.3.6.1.5.5.7.3.4 " has a trailing space: c2pa-rs's Oid::from_str rejects it too.
		t.Errorf("got %v", got)
	}
	if n := len(trust.ParseEKUConfig([]byte(trust.DefaultEKUConfig))); n != 6 {
		t.Errorf("default config has %d OIDs, want 6", n)
	}
}
