package cose_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"testing"
	"time"

	"provgraph/c2pa/cose"
)

// TestParseCertificateLenient builds certificates crypto/x509 refuses — a
// PrintableString with "_" and a negative serial — and checks
// ParseCertificate reads them with the raw bytes intact, so that the
// self-signature still verifies.
func TestParseCertificateLenient(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	name := pkix.Name{ExtraNames: []pkix.AttributeTypeAndValue{{Type: asn1.ObjectIdentifier{2, 5, 4, 3}, Value: "TSA_NOV_2024"}}}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7), Subject: name, NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	// Go writes the CN as UTF8String ("_" is not printable); make it a
	// PrintableString (0x13) as some TSAs do, and the serial 7 into -121
	// (0x87), then re-sign so the certificate is otherwise sound.
	tests := []struct {
		name   string
		patch  func(tbs []byte)
		serial int64
	}{
		{"printable string with underscore", func(tbs []byte) {
			i := indexOf(tbs, append([]byte{0x0c, 12}, "TSA_NOV_2024"...))
			tbs[i] = 0x13
		}, 7},
		{"negative serial", func(tbs []byte) {
			i := indexOf(tbs, []byte{0x02, 0x01, 0x07})
			tbs[i+2] = 0x87
		}, -121},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c0, _ := x509.ParseCertificate(der)
			tbs := append([]byte(nil), c0.RawTBSCertificate...)
			tt.patch(tbs)
			resigned := resign(t, tbs, key)
			if _, err := x509.ParseCertificate(resigned); err == nil {
				t.Skip("crypto/x509 accepts this now; nothing to work around")
			}
			c, err := cose.ParseCertificate(resigned)
			if err != nil {
				t.Fatal(err)
			}
			if c.SerialNumber.Int64() != tt.serial || c.Subject.CommonName != "TSA_NOV_2024" {
				t.Errorf("serial %v, CN %q", c.SerialNumber, c.Subject.CommonName)
			}
			if err := c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature); err != nil {
				t.Errorf("raw TBS no longer verifies: %v", err)
			}
		})
	}
	if _, err := cose.ParseCertificate([]byte{0x30, 0x03, 0x02, 0x01, 0x01}); err == nil {
		t.Error("garbage accepted")
	}
}

func indexOf(b, sub []byte) int {
	for i := 0; i+len(sub) <= len(b); i++ {
		if string(b[i:i+len(sub)]) == string(sub) {
			return i
		}
	}
	panic("pattern not found")
}

func resign(t *testing.T, tbs []byte, key *ecdsa.PrivateKey) []byte {
	t.Helper()
	sum := sha256Sum(tbs)
	sig, err := ecdsa.SignASN1(rand.Reader, key, sum)
	if err != nil {
		t.Fatal(err)
	}
	der, err := asn1.Marshal(struct {
		TBS       asn1.RawValue
		Alg       pkix.AlgorithmIdentifier
		Signature asn1.BitString
	}{asn1.RawValue{FullBytes: tbs}, pkix.AlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}}, asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)}})
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func sha256Sum(b []byte) []byte {
	s := sha256.Sum256(b)
	return s[:]
}
