package c2pa

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"

	"provgraph/c2pa/cose"
)

// ErrKey reports a private key or certificate chain that cannot be used.
var ErrKey = errors.New("c2pa: unusable signing key or certificate chain")

var (
	oidPSS    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}
	oidSHA384 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	oidSHA512 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
)

// LoadSigner builds a Signer from a PEM certificate chain (leaf first; a
// self-signed root is dropped, as C2PA omits it) and a PEM private key
// (PKCS#8 including RSASSA-PSS keys, PKCS#1 or SEC 1). The algorithm comes
// from the key: the EC curve, Ed25519, PS256 for RSA, or the hash named in
// an RSASSA-PSS key's parameters.
func LoadSigner(chainPEM, keyPEM []byte) (*Signer, error) {
	s := &Signer{}
	rest := chainPEM
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: certificate: %v", ErrKey, err)
		}
		if len(s.Chain) > 0 && bytes.Equal(c.RawIssuer, c.RawSubject) {
			continue
		}
		s.Chain = append(s.Chain, b.Bytes)
	}
	if len(s.Chain) == 0 {
		return nil, fmt.Errorf("%w: no certificate in chain PEM", ErrKey)
	}
	kb, _ := pem.Decode(keyPEM)
	if kb == nil {
		return nil, fmt.Errorf("%w: no PEM private key", ErrKey)
	}
	key, alg, err := parsePrivateKey(kb.Bytes)
	if err != nil {
		return nil, err
	}
	s.Key, s.Algorithm = key, alg
	if alg == 0 {
		if s.Algorithm, err = cose.AlgorithmFor(key.Public()); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrKey, err)
		}
	}
	return s, nil
}

func parsePrivateKey(der []byte) (crypto.Signer, cose.Algorithm, error) {
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		if s, ok := k.(crypto.Signer); ok {
			return s, 0, nil
		}
	}
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, 0, nil
	}
	if k, err := x509.ParseECPrivateKey(der); err == nil {
		return k, 0, nil
	}
	var p8 struct {
		Version    int
		Algorithm  pkix.AlgorithmIdentifier
		PrivateKey []byte
	}
	if _, err := asn1.Unmarshal(der, &p8); err != nil || !p8.Algorithm.Algorithm.Equal(oidPSS) {
		return nil, 0, fmt.Errorf("%w: unsupported private key format", ErrKey)
	}
	k, err := x509.ParsePKCS1PrivateKey(p8.PrivateKey)
	if err != nil {
		return nil, 0, fmt.Errorf("%w: RSA-PSS key: %v", ErrKey, err)
	}
	alg := cose.PS256
	var params struct {
		Hash pkix.AlgorithmIdentifier `asn1:"explicit,tag:0,optional"`
	}
	if len(p8.Algorithm.Parameters.FullBytes) > 0 {
		if _, err := asn1.Unmarshal(p8.Algorithm.Parameters.FullBytes, &params); err == nil {
			switch {
			case params.Hash.Algorithm.Equal(oidSHA384):
				alg = cose.PS384
			case params.Hash.Algorithm.Equal(oidSHA512):
				alg = cose.PS512
			}
		}
	}
	return k, alg, nil
}

// SetAlgorithm overrides the algorithm chosen from the key, by name
// ("es256" … "ps512", "ed25519"); it must fit the key type.
func (s *Signer) SetAlgorithm(name string) error {
	a, err := cose.ParseAlgorithm(name)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrKey, err)
	}
	s.Algorithm = a
	return nil
}
