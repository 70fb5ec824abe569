package devsigner

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"time"

	"provgraph/c2pa/cose"
	"provgraph/c2pa/trust"
)

// Errors a caller branches on.
var (
	// ErrNoKey: the PEM holds no usable private key.
	ErrNoKey = errors.New("devsigner: no usable private key")
	// ErrNoCertificate: the PEM holds no certificate.
	ErrNoCertificate = errors.New("devsigner: no certificate")
	// ErrKeyMismatch: the key is not the leaf certificate's.
	ErrKeyMismatch = errors.New("devsigner: key does not match the leaf certificate")
)

// Signer is a claim signer: a key, its certificate chain and the algorithm.
type Signer struct {
	// Key signs; any crypto.Signer (software, KMS, HSM).
	Key crypto.Signer
	// Chain is the DER chain written to x5chain: leaf first, then
	// intermediates; a self-signed root at the end is dropped by New.
	Chain [][]byte
	// Algorithm is the COSE algorithm used.
	Algorithm cose.Algorithm
	// Leaf is the parsed leaf certificate.
	Leaf *x509.Certificate
}

// New wraps key and its chain (DER, leaf first). alg zero picks
// cose.AlgorithmFor the key: ES256/384/512 by curve, PS256 for RSA keys,
// EdDSA for Ed25519. A trailing self-signed root is removed from the chain,
// as C2PA wants it omitted [C2PA §14.5].
func New(key crypto.Signer, chain [][]byte, alg cose.Algorithm) (*Signer, error) {
	if len(chain) == 0 {
		return nil, ErrNoCertificate
	}
	leaf, err := cose.ParseCertificate(chain[0])
	if err != nil {
		return nil, fmt.Errorf("devsigner: leaf certificate: %w", err)
	}
	pub, err := cose.PublicKey(leaf)
	if err != nil {
		return nil, fmt.Errorf("devsigner: leaf certificate: %w", err)
	}
	if k, ok := pub.(interface{ Equal(crypto.PublicKey) bool }); !ok || !k.Equal(key.Public()) {
		return nil, ErrKeyMismatch
	}
	if alg == 0 {
		if alg, err = cose.AlgorithmFor(key.Public()); err != nil {
			return nil, fmt.Errorf("devsigner: %w", err)
		}
	}
	if len(chain) > 1 {
		if last, err := cose.ParseCertificate(chain[len(chain)-1]); err == nil &&
			string(last.RawIssuer) == string(last.RawSubject) && last.CheckSignatureFrom(last) == nil {
			chain = chain[:len(chain)-1]
		}
	}
	return &Signer{Key: key, Chain: chain, Algorithm: alg, Leaf: leaf}, nil
}

// LoadSigner reads a PEM certificate chain (leaf first) and a PEM private
// key (PKCS#8, including RSASSA-PSS keys, PKCS#1 RSA or SEC 1 EC). The
// algorithm follows the key; RSA keys sign with PS256.
func LoadSigner(certPEMPath, keyPEMPath string) (*Signer, error) {
	certPEM, err := os.ReadFile(certPEMPath)
	if err != nil {
		return nil, fmt.Errorf("devsigner: %w", err)
	}
	keyPEM, err := os.ReadFile(keyPEMPath)
	if err != nil {
		return nil, fmt.Errorf("devsigner: %w", err)
	}
	chain, err := ParseChainPEM(certPEM)
	if err != nil {
		return nil, fmt.Errorf("devsigner: %s: %w", certPEMPath, err)
	}
	key, err := ParsePrivateKeyPEM(keyPEM)
	if err != nil {
		return nil, fmt.Errorf("devsigner: %s: %w", keyPEMPath, err)
	}
	return New(key, chain, PSSAlgorithm(keyPEM))
}

var (
	oidSHA384 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	oidSHA512 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
)

// PSSAlgorithm returns PS256, PS384 or PS512 for a PKCS#8 RSASSA-PSS key
// according to the hash its parameters name, and 0 for any other key.
func PSSAlgorithm(keyPEM []byte) cose.Algorithm {
	for {
		var blk *pem.Block
		if blk, keyPEM = pem.Decode(keyPEM); blk == nil {
			return 0
		}
		if blk.Type != "PRIVATE KEY" {
			continue
		}
		var p8 struct {
			Version    int
			Algorithm  pkix.AlgorithmIdentifier
			PrivateKey []byte
		}
		if _, err := asn1.Unmarshal(blk.Bytes, &p8); err != nil || !p8.Algorithm.Algorithm.Equal(oidRSASSAPSS) {
			return 0
		}
		var params struct {
			Hash pkix.AlgorithmIdentifier `asn1:"optional,explicit,tag:0"`
		}
		if len(p8.Algorithm.Parameters.FullBytes) > 0 {
			if _, err := asn1.Unmarshal(p8.Algorithm.Parameters.FullBytes, &params); err != nil {
				return cose.PS256
			}
		}
		switch {
		case params.Hash.Algorithm.Equal(oidSHA384):
			return cose.PS384
		case params.Hash.Algorithm.Equal(oidSHA512):
			return cose.PS512
		}
		return cose.PS256
	}
}

// ParseChainPEM returns the DER of every CERTIFICATE block in order.
func ParseChainPEM(b []byte) ([][]byte, error) {
	var chain [][]byte
	for {
		var blk *pem.Block
		if blk, b = pem.Decode(b); blk == nil {
			break
		}
		if blk.Type == "CERTIFICATE" {
			chain = append(chain, blk.Bytes)
		}
	}
	if len(chain) == 0 {
		return nil, ErrNoCertificate
	}
	return chain, nil
}

var oidRSASSAPSS = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}

// ParsePrivateKeyPEM parses the first private key block of b.
func ParsePrivateKeyPEM(b []byte) (crypto.Signer, error) {
	for {
		var blk *pem.Block
		if blk, b = pem.Decode(b); blk == nil {
			return nil, ErrNoKey
		}
		switch blk.Type {
		case "PRIVATE KEY":
			return parsePKCS8(blk.Bytes)
		case "RSA PRIVATE KEY":
			k, err := x509.ParsePKCS1PrivateKey(blk.Bytes)
			if err != nil {
				return nil, fmt.Errorf("%w: %v", ErrNoKey, err)
			}
			return k, nil
		case "EC PRIVATE KEY":
			k, err := x509.ParseECPrivateKey(blk.Bytes)
			if err != nil {
				return nil, fmt.Errorf("%w: %v", ErrNoKey, err)
			}
			return k, nil
		}
	}
}

// parsePKCS8 accepts what x509.ParsePKCS8PrivateKey does plus RSA keys
// under the id-RSASSA-PSS algorithm OID (c2pa-rs's PS test keys).
func parsePKCS8(der []byte) (crypto.Signer, error) {
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err == nil {
		switch k := k.(type) {
		case *rsa.PrivateKey:
			return k, nil
		case *ecdsa.PrivateKey:
			return k, nil
		case ed25519.PrivateKey:
			return k, nil
		}
		return nil, fmt.Errorf("%w: key type %T", ErrNoKey, k)
	}
	var p8 struct {
		Version    int
		Algorithm  pkix.AlgorithmIdentifier
		PrivateKey []byte
	}
	if _, err2 := asn1.Unmarshal(der, &p8); err2 == nil && p8.Algorithm.Algorithm.Equal(oidRSASSAPSS) {
		rk, err := x509.ParsePKCS1PrivateKey(p8.PrivateKey)
		if err != nil {
			return nil, fmt.Errorf("%w: RSA-PSS key: %v", ErrNoKey, err)
		}
		return rk, nil
	}
	return nil, fmt.Errorf("%w: %v", ErrNoKey, err)
}

// ReserveSize is the signature box size to reserve for this signer, as
// c2pa-rs computes it (see cose.ReserveSize).
func (s *Signer) ReserveSize(withTimeStamp bool) int {
	return cose.ReserveSize(s.Key.Public(), s.Chain, withTimeStamp, 0)
}

// Sign signs claim bytes into a COSE_Sign1 of exactly reserve bytes (0: no
// padding), time-stamped by tsa when non-nil (sigTst2 for claim v2,
// sigTst for v1).
func (s *Signer) Sign(ctx context.Context, claim []byte, reserve int, tsa cose.TimestampProvider, claimVersion int) ([]byte, error) {
	v := 2
	if claimVersion == 1 {
		v = 1
	}
	return cose.Sign(ctx, s.Key, claim, cose.SignOptions{
		Algorithm: s.Algorithm, Chain: s.Chain, ReserveSize: reserve, TimeStamper: tsa, TimeStampVersion: v,
	})
}

// CheckProfile applies the C2PA certificate profile to the signer's leaf at
// time at (zero: now), as c2pa-rs does before it signs; extraEKUs are the
// EKUs accepted beyond emailProtection, timeStamping and OCSPSigning (nil:
// trust.DefaultEKUConfig, which admits documentSigning, Microsoft's and
// the C2PA claim-signing OIDs).
func (s *Signer) CheckProfile(at time.Time, extraEKUs []asn1.ObjectIdentifier) error {
	if extraEKUs == nil {
		extraEKUs = trust.ParseEKUConfig([]byte(trust.DefaultEKUConfig))
	}
	if perr := trust.CheckProfile(s.Leaf, trust.ProfileOptions{At: at, ExtraEKUs: extraEKUs, EndEntity: true}); perr != nil {
		return fmt.Errorf("devsigner: signing certificate unusable (%s): %w", perr.Code, perr)
	}
	return nil
}
