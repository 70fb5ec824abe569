package cose

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math/big"
)

// sigStructure encodes [context, protected, empty external_aad, payload]
// [RFC 9052 §4.4, §5.3 (counter signature, v2)].
func sigStructure(context string, protected, payload []byte) []byte {
	out := make([]byte, 0, 32+len(protected)+len(payload))
	out = appendHead(out, majorArray, 4)
	out = appendText(out, context)
	out = appendBytes(out, protected)
	out = appendBytes(out, nil)
	return appendBytes(out, payload)
}

// ToBeSigned returns the Sig_structure bytes the signature covers for the
// detached payload (the claim CBOR exactly as stored in the claim box).
func (s *Sign1) ToBeSigned(payload []byte) []byte {
	return sigStructure("Signature1", s.ProtectedRaw, payload)
}

// Verify checks the signature over payload with the key of the x5chain leaf.
// It does no certificate profile or trust checks. Errors wrap
// ErrUnsupportedAlgorithm, ErrDERSignature, ErrMissingCertificate,
// ErrMultipleChains, ErrBadCertificate, ErrKeyMismatch or
// ErrSignatureMismatch.
func (s *Sign1) Verify(payload []byte) error {
	alg, err := s.Algorithm()
	if err != nil {
		return err
	}
	if isECDSA(alg) && isDERSignature(s.Signature) {
		return ErrDERSignature
	}
	certs, err := s.Certificates()
	if err != nil {
		return err
	}
	pub, err := PublicKey(certs[0])
	if err != nil {
		return err
	}
	return VerifySignature(alg, pub, s.ToBeSigned(payload), s.Signature)
}

func isECDSA(a Algorithm) bool { return a == ES256 || a == ES384 || a == ES512 }

// isDERSignature reports whether sig parses completely as a DER ECDSA
// signature, the test c2pa-rs applies to refuse DER.
func isDERSignature(sig []byte) bool {
	var v struct{ R, S *big.Int }
	rest, err := asn1.Unmarshal(sig, &v)
	return err == nil && len(rest) == 0 && v.R != nil && v.S != nil
}

var oidRSASSAPSS = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}

// PublicKey returns the certificate's public key, including RSA keys under
// the id-RSASSA-PSS SubjectPublicKeyInfo OID that crypto/x509 leaves
// unparsed.
func PublicKey(c *x509.Certificate) (crypto.PublicKey, error) {
	if c.PublicKey != nil {
		return c.PublicKey, nil
	}
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if rest, err := asn1.Unmarshal(c.RawSubjectPublicKeyInfo, &spki); err != nil || len(rest) != 0 {
		return nil, fmt.Errorf("%w: subject public key info", ErrBadCertificate)
	}
	if spki.Algorithm.Algorithm.Equal(oidRSASSAPSS) {
		k, err := x509.ParsePKCS1PublicKey(spki.PublicKey.RightAlign())
		if err != nil {
			return nil, fmt.Errorf("%w: RSA-PSS key: %v", ErrBadCertificate, err)
		}
		return k, nil
	}
	return nil, fmt.Errorf("%w: unsupported public key algorithm %v", ErrBadCertificate, spki.Algorithm.Algorithm)
}

// VerifySignature checks sig over the to-be-signed bytes tbs with pub under
// alg: ECDSA as raw r‖s sized to the key's curve, RSASSA-PSS with salt =
// digest length, Ed25519 over tbs itself.
func VerifySignature(alg Algorithm, pub crypto.PublicKey, tbs, sig []byte) error {
	switch alg {
	case ES256, ES384, ES512:
		k, ok := pub.(*ecdsa.PublicKey)
		if !ok {
			return fmt.Errorf("%w: %v needs an EC key, have %T", ErrKeyMismatch, alg, pub)
		}
		size := (k.Curve.Params().BitSize + 7) / 8
		if len(sig) != 2*size {
			return fmt.Errorf("%w: %d-byte signature, want %d for %s", ErrSignatureMismatch, len(sig), 2*size, k.Curve.Params().Name)
		}
		r := new(big.Int).SetBytes(sig[:size])
		s := new(big.Int).SetBytes(sig[size:])
		if !ecdsa.Verify(k, digest(alg.Hash(), tbs), r, s) {
			return ErrSignatureMismatch
		}
		return nil
	case PS256, PS384, PS512:
		k, ok := pub.(*rsa.PublicKey)
		if !ok {
			return fmt.Errorf("%w: %v needs an RSA key, have %T", ErrKeyMismatch, alg, pub)
		}
		opts := &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: alg.Hash()}
		if err := rsa.VerifyPSS(k, alg.Hash(), digest(alg.Hash(), tbs), sig, opts); err != nil {
			return fmt.Errorf("%w: %v", ErrSignatureMismatch, err)
		}
		return nil
	case EdDSA:
		k, ok := pub.(ed25519.PublicKey)
		if !ok {
			return fmt.Errorf("%w: %v needs an Ed25519 key, have %T", ErrKeyMismatch, alg, pub)
		}
		if !ed25519.Verify(k, tbs, sig) {
			return ErrSignatureMismatch
		}
		return nil
	}
	return fmt.Errorf("%w: %v", ErrUnsupportedAlgorithm, alg)
}

func digest(h crypto.Hash, data []byte) []byte {
	w := h.New()
	w.Write(data)
	return w.Sum(nil)
}
