package c2pa

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"time"

	"provgraph/c2pa/cose"
	"provgraph/c2pa/status"
)

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
