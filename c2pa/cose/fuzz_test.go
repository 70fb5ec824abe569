package cose_test

import (
	"bytes"
	"crypto/x509"
	"path/filepath"
	"testing"

	"provgraph/c2pa/cose"
	"provgraph/c2pa/cose/cosetest"
	"provgraph/internal/testenv"
)

// seedSignatures adds the claim signatures (or their time-stamp tokens) of
// the signed fixtures as fuzz seeds.
func seedSignatures(f *testing.F, tokens bool) {
	dir := testenv.Fixture(f, "c2pa")
	fixtures, err := cosetest.Fixtures(dir)
	if err != nil {
		f.Fatal(err)
	}
	for _, fx := range fixtures {
		ms, err := cosetest.Manifests(filepath.Join(dir, fx.File))
		if err != nil {
			continue
		}
		for _, m := range ms {
			if !tokens {
				f.Add(m.Signature)
				continue
			}
			if s, err := cose.Parse(m.Signature); err == nil {
				if h, ok, _ := s.TimeStampHeader(); ok && len(h.Tokens) > 0 {
					f.Add(h.Tokens[0])
				}
			}
		}
	}
}

// FuzzCOSE feeds arbitrary bytes to Parse and, when they parse, to every
// accessor and Verify: nothing may panic and a parsed structure must
// re-verify deterministically (over a fixed claim: the seeds' real claims
// would only slow the fuzzer down).
func FuzzCOSE(f *testing.F) {
	seedSignatures(f, false)
	f.Add([]byte{0xd2, 0x84, 0x40, 0xa0, 0xf6, 0x40})
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := cose.Parse(data)
		if err != nil {
			return
		}
		_, _ = s.Algorithm()
		_, _ = s.CertificateChain()
		_, _, _ = s.TimeStampHeader()
		_ = s.OCSPResponses()
		e1 := s.Verify(testClaim)
		e2 := s.Verify(testClaim)
		if (e1 == nil) != (e2 == nil) {
			t.Fatalf("Verify not deterministic: %v vs %v", e1, e2)
		}
	})
}

// FuzzTimeStamp feeds arbitrary bytes to ParseTimeStamp and Verify.
func FuzzTimeStamp(f *testing.F) {
	seedSignatures(f, true)
	f.Fuzz(func(t *testing.T, data []byte) {
		ts, err := cose.ParseTimeStamp(data)
		if err != nil {
			return
		}
		_ = ts.Verify(testClaim)
		_ = ts.SignerName()
	})
}

// FuzzParseCertificate checks the lenient certificate parser against
// crypto/x509 on the fixtures' x5chain certificates and their mutations:
// whatever crypto/x509 accepts must come back unchanged, and the raw fields
// must always alias the input.
func FuzzParseCertificate(f *testing.F) {
	dir := testenv.Fixture(f, "c2pa")
	fixtures, err := cosetest.Fixtures(dir)
	if err != nil {
		f.Fatal(err)
	}
	for _, fx := range fixtures {
		ms, err := cosetest.Manifests(filepath.Join(dir, fx.File))
		if err != nil {
			continue
		}
		if s, err := cose.Parse(ms[len(ms)-1].Signature); err == nil {
			ders, _ := s.CertificateChain()
			for _, d := range ders {
				f.Add(d)
			}
		}
	}
	f.Fuzz(func(t *testing.T, der []byte) {
		c, err := cose.ParseCertificate(der)
		std, stdErr := x509.ParseCertificate(der)
		if stdErr == nil && (err != nil || !bytes.Equal(c.Raw, std.Raw)) {
			t.Fatalf("crypto/x509 accepts, ParseCertificate: %v", err)
		}
		if err == nil && !bytes.Equal(c.Raw, der[:len(c.Raw)]) {
			t.Fatal("Raw does not alias the input")
		}
	})
}
