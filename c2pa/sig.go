package c2pa

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"time"

	"provgraph/c2pa/cose"
	"provgraph/c2pa/status"
)

// manifestSignatureInfo describes m's claim signature for the report,
// independently of validation: the time is that of a time-stamp token that
// verifies against the signature, trusted or not.
func manifestSignatureInfo(m *Manifest) *SignatureInfo {
	s1, err := cose.Parse(m.Signature)
	if err != nil {
		return nil
	}
	alg, err := s1.Algorithm()
	if err != nil {
		return nil
	}
	certs, err := s1.Certificates()
	if err != nil || len(certs) == 0 {
		return nil
	}
	si := signatureInfo(alg, certs[0])
	if hdr, ok, err := s1.TimeStampHeader(); ok && err == nil && len(hdr.Tokens) == 1 {
		if ts, err := cose.ParseTimeStamp(hdr.Tokens[0]); err == nil && ts.Verify(s1.CounterSignatureData(hdr.Version, m.Claim.Raw)) == nil {
			t := ts.Time
			if t.Equal(ts.GenTime.Truncate(time.Second)) {
				t = ts.GenTime
			}
			si.Time = rfc3339(t)
		}
	}
	return si
}

// rfc3339 formats t as chrono's to_rfc3339 does: +00:00 offset and 0, 3, 6
// or 9 fraction digits.
func rfc3339(t time.Time) string {
	t = t.UTC()
	frac := ""
	switch ns := t.Nanosecond(); {
	case ns == 0:
	case ns%1e6 == 0:
		frac = fmt.Sprintf(".%03d", ns/1e6)
	case ns%1e3 == 0:
		frac = fmt.Sprintf(".%06d", ns/1e3)
	default:
		frac = fmt.Sprintf(".%09d", ns)
	}
	return t.Format("2006-01-02T15:04:05") + frac + "+00:00"
}

func signatureInfo(alg cose.Algorithm, leaf *x509.Certificate) *SignatureInfo {
	si := &SignatureInfo{Alg: alg.ReportName(), CertSerialNumber: leaf.SerialNumber.String()}
	if o := leaf.Subject.Organization; len(o) > 0 {
		si.Issuer = o[len(o)-1]
	}
	si.CommonName = leaf.Subject.CommonName
	return si
}

// verifySignature validates m's claim signature and credential, logging
// the claimSignature.* and signingCredential.* statuses.
func (v *validator) verifySignature(m *Manifest) *SignatureInfo {
	uri := m.SignatureURI()
	s1, err := cose.Parse(m.Signature)
	if err != nil {
		v.log.Failure(status.ClaimSignatureMismatch, uri, err.Error())
		return nil
	}
	alg, err := s1.Algorithm()
	if err != nil {
		v.log.Failure(status.AlgorithmUnsupported, uri, err.Error())
		return nil
	}
	certs, err := s1.Certificates()
	if err != nil || len(certs) == 0 {
		v.log.Failure(status.SigningCredentialInvalid, uri, "no usable signing certificate")
		return nil
	}
	si := signatureInfo(alg, certs[0])
	now := v.opts.Time
	if now.IsZero() {
		now = time.Now()
	}
	if ts := v.verifyTimeStamp(m, s1, uri); ts != nil {
		now = ts.Time
	}
	leaf := certs[0]
	if now.Before(leaf.NotBefore) || now.After(leaf.NotAfter) {
		v.log.Failure(status.SigningCredentialExpired, uri, "certificate expired")
	}
	v.checkTrust(certs, now, uri)
	switch err := s1.Verify(m.Claim.Raw); {
	case errors.Is(err, cose.ErrDERSignature):
		v.log.Failure(status.SigningCredentialInvalid, uri, err.Error())
	case err != nil:
		v.log.Failure(status.ClaimSignatureMismatch, uri, "claim signature is not valid")
	default:
		v.log.Success(status.ClaimSignatureInsideValidity, uri, "claim signature valid")
		v.log.Success(status.ClaimSignatureValidated, uri, "claim signature valid")
	}
	return si
}

// verifyTimeStamp checks the sigTst2/sigTst token and returns it when it is
// valid and trusted, so that its time governs certificate validity.
func (v *validator) verifyTimeStamp(m *Manifest, s1 *cose.Sign1, uri string) *cose.TimeStamp {
	hdr, ok, err := s1.TimeStampHeader()
	if !ok {
		return nil
	}
	if err != nil || len(hdr.Tokens) != 1 {
		v.log.Informational(status.TimeStampMalformed, uri, "timestamp malformed")
		return nil
	}
	ts, err := cose.ParseTimeStamp(hdr.Tokens[0])
	if err != nil {
		v.log.Informational(status.TimeStampMalformed, uri, err.Error())
		return nil
	}
	if err := ts.Verify(s1.CounterSignatureData(hdr.Version, m.Claim.Raw)); err != nil {
		code := status.TimeStampMalformed
		switch {
		case errors.Is(err, cose.ErrTimeStampMismatch):
			code = status.TimeStampMismatch
		case errors.Is(err, cose.ErrTimeStampSignature):
			code = status.TimeStampUntrusted
		case errors.Is(err, cose.ErrTimeStampOutsideValidity):
			code = status.TimeStampOutsideValidity
		}
		v.log.Informational(code, uri, err.Error())
		return nil
	}
	name := ts.SignerName()
	v.log.Success(status.TimeStampValidated, uri, "timestamp message digest matched: "+name)
	if m.Claim.Version < 2 {
		// c2pa-rs does not check time-stamp trust for v1 claims.
		v.log.Success(status.TimeStampTrusted, uri, "legacy timestamp cert trusted: "+name)
		return ts
	}
	if len(ts.Chain) == 0 || !v.chainTrusted(ts.Chain, ts.Time) {
		v.log.Informational(status.TimeStampUntrusted, uri, "timestamp cert untrusted: "+name)
		return nil
	}
	v.log.Success(status.TimeStampTrusted, uri, "timestamp cert trusted: "+name)
	return ts
}

// chainTrusted reports whether chain (leaf first) leads to a trust anchor.
func (v *validator) chainTrusted(chain []*x509.Certificate, at time.Time) bool {
	roots := x509.NewCertPool()
	rest := v.opts.TrustAnchors
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if c, err := x509.ParseCertificate(b.Bytes); err == nil {
			roots.AddCert(c)
		}
	}
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	_, err := chain[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: at, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	return err == nil
}

func (v *validator) checkTrust(chain []*x509.Certificate, at time.Time, uri string) {
	roots := x509.NewCertPool()
	n := 0
	rest := v.opts.TrustAnchors
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if c, err := x509.ParseCertificate(b.Bytes); err == nil {
			roots.AddCert(c)
			n++
		}
	}
	if n == 0 {
		v.log.Failure(status.SigningCredentialUntrusted, uri, "signing certificate untrusted")
		return
	}
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	_, err := chain[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: at, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	if err != nil {
		v.log.Failure(status.SigningCredentialUntrusted, uri, "signing certificate untrusted")
		return
	}
	v.log.Success(status.SigningCredentialTrusted, uri, "signing certificate trusted, found in [system_anchors] trust anchors")
}
