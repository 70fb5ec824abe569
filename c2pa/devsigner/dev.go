package devsigner

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"time"
)

// Files of the development PKI under <data>/signer/.
const (
	DirName   = "signer"
	RootFile  = "root.pem"  // self-signed root: add it as a trust anchor
	ChainFile = "chain.pem" // x5chain: the leaf (the root is omitted)
	KeyFile   = "key.pem"   // the leaf's PKCS#8 key, mode 0600
)

// Validity of the development certificates.
const (
	rootValidity = 10 * 365 * 24 * time.Hour
	leafValidity = 2 * 365 * 24 * time.Hour
	// renewBefore: a leaf closer than this to expiry is replaced.
	renewBefore = 7 * 24 * time.Hour
)

// OIDClaimSigning is the C2PA claim-signing EKU c2pa-kp-claimSigning.
var OIDClaimSigning = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 62558, 2, 1}

// DevSigner is a development signer and the root users trust to verify it.
type DevSigner struct {
	*Signer
	// Root is the self-signed development root certificate.
	Root *x509.Certificate
	// RootPath is the root's PEM file, for trust anchor settings.
	RootPath string
}

// Dev returns the development signer kept under dataDir/signer, creating a
// new ECDSA P-256 root and leaf the first time (or when the leaf is about to
// expire). The leaf fits the C2PA certificate profile c2pa-rs checks:
// digitalSignature key usage, EKUs emailProtection and c2pa-kp-claimSigning,
// not a CA, AKI and SKI present, valid two years.
func Dev(dataDir string) (*DevSigner, error) {
	dir := filepath.Join(dataDir, DirName)
	if s, err := loadDev(dir); err == nil {
		if time.Until(s.Leaf.NotAfter) > renewBefore {
			return s, nil
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("devsigner: %s: %w", dir, err)
	}
	if err := createDev(dir); err != nil {
		return nil, fmt.Errorf("devsigner: creating %s: %w", dir, err)
	}
	return loadDev(dir)
}

func loadDev(dir string) (*DevSigner, error) {
	rootPEM, err := os.ReadFile(filepath.Join(dir, RootFile))
	if err != nil {
		return nil, err
	}
	roots, err := ParseChainPEM(rootPEM)
	if err != nil {
		return nil, err
	}
	root, err := x509.ParseCertificate(roots[0])
	if err != nil {
		return nil, err
	}
	s, err := LoadSigner(filepath.Join(dir, ChainFile), filepath.Join(dir, KeyFile))
	if err != nil {
		return nil, err
	}
	if err := s.Leaf.CheckSignatureFrom(root); err != nil {
		return nil, fmt.Errorf("leaf not issued by %s: %w", RootFile, err)
	}
	return &DevSigner{Signer: s, Root: root, RootPath: filepath.Join(dir, RootFile)}, nil
}

// createDev writes a fresh PKI into a temporary directory and renames it
// into place, so concurrent first uses never see half-written files.
func createDev(dir string) error {
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), ".signer-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	now := time.Now().Add(-5 * time.Minute)

	rootKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	name := func(cn string) pkix.Name {
		return pkix.Name{CommonName: cn, Organization: []string{"provgraph development"}, OrganizationalUnit: []string{"FOR TESTING ONLY"}}
	}
	rootTmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               name("provgraph development root"),
		NotBefore:             now,
		NotAfter:              now.Add(rootValidity),
		IsCA:                  true,
		BasicConstraintsValid: true,
		MaxPathLen:            0,
		MaxPathLenZero:        true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
	}
	rootDER, err := x509.CreateCertificate(rand.Reader, rootTmpl, rootTmpl, &rootKey.PublicKey, rootKey)
	if err != nil {
		return err
	}
	root, err := x509.ParseCertificate(rootDER)
	if err != nil {
		return err
	}
	leafTmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               name("provgraph development signer"),
		NotBefore:             now,
		NotAfter:              now.Add(leafValidity),
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
		UnknownExtKeyUsage:    []asn1.ObjectIdentifier{OIDClaimSigning},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, root, &leafKey.PublicKey, rootKey)
	if err != nil {
		return err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(leafKey)
	if err != nil {
		return err
	}
	files := []struct {
		name string
		typ  string
		der  []byte
		mode os.FileMode
	}{
		{RootFile, "CERTIFICATE", rootDER, 0o644},
		{ChainFile, "CERTIFICATE", leafDER, 0o644},
		{KeyFile, "PRIVATE KEY", keyDER, 0o600},
	}
	for _, f := range files {
		b := pem.EncodeToMemory(&pem.Block{Type: f.typ, Bytes: f.der})
		if err := os.WriteFile(filepath.Join(tmp, f.name), b, f.mode); err != nil {
			return err
		}
	}
	if err := os.Chmod(tmp, 0o700); err != nil {
		return err
	}
	// Replace an expired PKI; keep a concurrent creator's if it won.
	if _, err := os.Stat(dir); err == nil {
		if s, err := loadDev(dir); err == nil && time.Until(s.Leaf.NotAfter) > renewBefore {
			return nil
		}
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, statErr := os.Stat(dir); statErr == nil {
			return nil // another process created it first
		}
		return err
	}
	return nil
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return big.NewInt(time.Now().UnixNano())
	}
	return n.Add(n, big.NewInt(1))
}
