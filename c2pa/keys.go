package c2pa

import (
	"fmt"

	"provgraph/c2pa/cose"
	"provgraph/c2pa/devsigner"
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
	ds, err := devsigner.New(key, chain, devsigner.PSSAlgorithm(keyPEM))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKey, err)
	}
	return FromDevSigner(ds), nil
}

// FromDevSigner adapts a devsigner.Signer (any crypto.Signer with its chain).
func FromDevSigner(ds *devsigner.Signer) *Signer {
	return &Signer{Key: ds.Key, Chain: ds.Chain, Algorithm: ds.Algorithm}
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
