package c2pa

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"fmt"

	"provgraph/c2pa/cose"
	"provgraph/c2pa/devsigner"
)

var (
	oidPSS    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}
	oidSHA384 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	oidSHA512 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
)

// LoadSigner builds a Signer from a PEM certificate chain (leaf first; a
// self-signed root is dropped, as C2PA omits it) and a PEM private key,
// through package devsigner. The algorithm comes from the key: the EC
// curve, Ed25519, PS256 for RSA, or the hash an RSASSA-PSS key's
// parameters name (PS384/PS512).
func LoadSigner(chainPEM, keyPEM []byte) (*Signer, error) {
	chain, err := devsigner.ParseChainPEM(chainPEM)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKey, err)
	}
	key, err := devsigner.ParsePrivateKeyPEM(keyPEM)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKey, err)
	}
	ds, err := devsigner.New(key, chain, pssAlgorithm(keyPEM))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKey, err)
	}
	return FromDevSigner(ds), nil
}

// FromDevSigner adapts a devsigner.Signer (any crypto.Signer with its chain).
func FromDevSigner(ds *devsigner.Signer) *Signer {
	return &Signer{Key: ds.Key, Chain: ds.Chain, Algorithm: ds.Algorithm}
}

// pssAlgorithm returns PS256/384/512 for a PKCS#8 RSASSA-PSS key according
// to its hash parameter, or 0 for any other key.
func pssAlgorithm(keyPEM []byte) cose.Algorithm {
	b, _ := pem.Decode(keyPEM)
	if b == nil {
		return 0
	}
	var p8 struct {
		Version    int
		Algorithm  pkix.AlgorithmIdentifier
		PrivateKey []byte
	}
	if _, err := asn1.Unmarshal(b.Bytes, &p8); err != nil || !p8.Algorithm.Algorithm.Equal(oidPSS) {
		return 0
	}
	var params struct {
		Hash pkix.AlgorithmIdentifier `asn1:"explicit,tag:0,optional"`
	}
	if len(p8.Algorithm.Parameters.FullBytes) > 0 {
		if _, err := asn1.Unmarshal(p8.Algorithm.Parameters.FullBytes, &params); err == nil {
			switch {
			case params.Hash.Algorithm.Equal(oidSHA384):
				return cose.PS384
			case params.Hash.Algorithm.Equal(oidSHA512):
				return cose.PS512
			}
		}
	}
	return cose.PS256
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
