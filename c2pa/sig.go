package c2pa

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"time"

	gocose "github.com/veraison/go-cose"

	"provgraph/c2pa/status"
)

// coseAlgNames maps COSE algorithm ids to c2pa-rs SigningAlg names.
var coseAlgNames = map[gocose.Algorithm]string{
	gocose.AlgorithmES256: "Es256", gocose.AlgorithmES384: "Es384", gocose.AlgorithmES512: "Es512",
	gocose.AlgorithmPS256: "Ps256", gocose.AlgorithmPS384: "Ps384", gocose.AlgorithmPS512: "Ps512",
	gocose.AlgorithmEdDSA: "Ed25519",
}

// parsedSignature is what signature validation needs from a claim signature.
type parsedSignature struct {
	msg   *gocose.Sign1Message
	alg   gocose.Algorithm
	chain []*x509.Certificate
}

func parseClaimSignature(b []byte) (*parsedSignature, error) {
	var msg gocose.Sign1Message
	if err := msg.UnmarshalCBOR(b); err != nil {
		var um gocose.UntaggedSign1Message
		if err2 := um.UnmarshalCBOR(b); err2 != nil {
			return nil, err
		}
		msg = gocose.Sign1Message(um)
	}
	alg, err := msg.Headers.Protected.Algorithm()
	if err != nil {
		return nil, fmt.Errorf("c2pa: signature algorithm: %w", err)
	}
	var raw any
	var ok bool
	if raw, ok = msg.Headers.Protected[gocose.HeaderLabelX5Chain]; !ok {
		raw, ok = msg.Headers.Protected["x5chain"]
	}
	if uraw, uok := msg.Headers.Unprotected["x5chain"]; uok {
		if ok {
			return nil, errors.New("c2pa: x5chain in both header buckets")
		}
		raw, ok = uraw, true
	}
	if !ok {
		return nil, errors.New("c2pa: signature has no x5chain")
	}
	var ders [][]byte
	switch t := raw.(type) {
	case []byte:
		ders = [][]byte{t}
	case []any:
		for _, e := range t {
			b, ok := e.([]byte)
			if !ok {
				return nil, errors.New("c2pa: malformed x5chain")
			}
			ders = append(ders, b)
		}
	default:
		return nil, errors.New("c2pa: malformed x5chain")
	}
	ps := &parsedSignature{msg: &msg, alg: alg}
	for _, d := range ders {
		c, err := x509.ParseCertificate(d)
		if err != nil {
			return nil, fmt.Errorf("c2pa: x5chain certificate: %w", err)
		}
		ps.chain = append(ps.chain, c)
	}
	if len(ps.chain) == 0 {
		return nil, errors.New("c2pa: empty x5chain")
	}
	return ps, nil
}

func signatureInfo(ps *parsedSignature) *SignatureInfo {
	leaf := ps.chain[0]
	si := &SignatureInfo{Alg: coseAlgNames[ps.alg], CertSerialNumber: leaf.SerialNumber.String()}
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
	ps, err := parseClaimSignature(m.Signature)
	if err != nil {
		v.log.Failure(status.ClaimSignatureMismatch, uri, err.Error())
		return nil
	}
	si := signatureInfo(ps)
	if _, ok := coseAlgNames[ps.alg]; !ok {
		v.log.Failure(status.AlgorithmUnsupported, uri, "unsupported signature algorithm")
		return si
	}
	now := v.opts.Time
	if now.IsZero() {
		now = time.Now()
	}
	leaf := ps.chain[0]
	if now.Before(leaf.NotBefore) || now.After(leaf.NotAfter) {
		v.log.Failure(status.SigningCredentialExpired, uri, "certificate expired")
	}
	v.checkTrust(ps, now, uri)
	verifier, err := gocose.NewVerifier(ps.alg, leaf.PublicKey)
	if err != nil {
		v.log.Failure(status.ClaimSignatureMismatch, uri, err.Error())
		return si
	}
	ps.msg.Payload = m.Claim.Raw
	if err := ps.msg.Verify(nil, verifier); err != nil {
		v.log.Failure(status.ClaimSignatureMismatch, uri, "claim signature is not valid")
		return si
	}
	v.log.Success(status.ClaimSignatureInsideValidity, uri, "claim signature valid")
	v.log.Success(status.ClaimSignatureValidated, uri, "claim signature valid")
	return si
}

func (v *validator) checkTrust(ps *parsedSignature, at time.Time, uri string) {
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
	for _, c := range ps.chain[1:] {
		inter.AddCert(c)
	}
	_, err := ps.chain[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: at, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	if err != nil {
		v.log.Failure(status.SigningCredentialUntrusted, uri, "signing certificate untrusted")
		return
	}
	v.log.Success(status.SigningCredentialTrusted, uri, "signing certificate trusted, found in [system_anchors] trust anchors")
}
