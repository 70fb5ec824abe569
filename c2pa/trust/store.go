package trust

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"

	"provgraph/c2pa/cose"
)

// Kind says where a source of anchors comes from.
type Kind uint8

// Source kinds, in the order a Store consults them.
const (
	// Operator is the operator's PEM bundle: c2pa-rs trust.trust_anchors,
	// reported as "system_anchors".
	Operator Kind = iota
	// Official is the C2PA Trust List (claim signers).
	Official
	// OfficialTSA is the C2PA TSA Trust List.
	OfficialTSA
	// User is c2pa-rs trust.user_anchors, reported as "user_anchors".
	User
	// Interim is the legacy CAI interim list; trust through it is flagged.
	Interim
)

// String names the kind.
func (k Kind) String() string {
	switch k {
	case Operator:
		return "operator"
	case Official:
		return "c2pa-trust-list"
	case OfficialTSA:
		return "c2pa-tsa-trust-list"
	case User:
		return "user"
	case Interim:
		return "cai-interim"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Source is one set of trust anchors (roots or intermediates; a chain that
// reaches any of them is trusted) and, optionally, end-entity certificates
// trusted as they are.
type Source struct {
	// Name appears in explanations ("found in [<Name>] trust anchors"):
	// "system_anchors", "user_anchors" or a list's URL, as in c2pa-rs.
	Name string
	// Kind of the source.
	Kind Kind
	// Legacy marks the CAI interim list, whose trust a user interface
	// should present with a disclaimer.
	Legacy bool
	// Published is the list's publication date, zero when unknown.
	Published time.Time
	// Anchors are the anchor certificates.
	Anchors []*x509.Certificate
	// EndEntities holds base64 SHA-256 digests of allowed leaf DER.
	EndEntities map[string]bool
}

// NewSource builds a source from a PEM bundle. Lines outside PEM blocks (the
// official lists' "Subject" labels) are ignored; a block that does not parse
// is an error.
func NewSource(name string, kind Kind, pemBundle []byte) (*Source, error) {
	certs, err := ParsePEMCertificates(pemBundle)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrBadList, name, err)
	}
	return &Source{Name: name, Kind: kind, Anchors: certs, Legacy: kind == Interim}, nil
}

// ParsePEMCertificates parses every CERTIFICATE block. c2pa-rs also accepts
// bundles whose newlines arrive escaped as "\n"; so does this.
func ParsePEMCertificates(b []byte) ([]*x509.Certificate, error) {
	if bytes.Contains(b, []byte(`\n`)) && !bytes.Contains(b, []byte("\n-----END")) {
		b = bytes.ReplaceAll(b, []byte(`\n`), []byte("\n"))
	}
	var out []*x509.Certificate
	for {
		var blk *pem.Block
		if blk, b = pem.Decode(b); blk == nil {
			break
		}
		if blk.Type != "CERTIFICATE" {
			continue
		}
		c, err := cose.ParseCertificate(blk.Bytes)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// AllowEndEntities adds allowed leaf certificates: PEM certificates, or
// 44-character base64 SHA-256 lines outside PEM blocks (c2pa-rs
// allowed_list format).
func (s *Source) AllowEndEntities(list []byte) error {
	if s.EndEntities == nil {
		s.EndEntities = map[string]bool{}
	}
	inBlock := false
	for _, line := range strings.Split(string(list), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.Contains(line, "-----BEGIN"):
			inBlock = true
		case strings.Contains(line, "-----END"):
			inBlock = false
		case !inBlock && len(line) == 44:
			if _, err := base64.StdEncoding.DecodeString(line); err == nil {
				s.EndEntities[line] = true
			}
		}
	}
	certs, err := ParsePEMCertificates(list)
	if err != nil {
		return fmt.Errorf("%w: %s allowed list: %v", ErrBadList, s.Name, err)
	}
	for _, c := range certs {
		s.EndEntities[leafDigest(c.Raw)] = true
	}
	return nil
}

func leafDigest(der []byte) string {
	sum := sha256.Sum256(der)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// Store is the trust configuration a validator uses: anchor sources in
// consultation order plus the EKUs accepted beyond the three c2pa-rs always
// accepts. A Store is immutable once built and safe for concurrent use.
type Store struct {
	sources  []*Source
	ekus     []asn1.ObjectIdentifier
	separate bool
}

// NewStore returns a store over sources (consulted in order) accepting
// extraEKUs besides emailProtection, timeStamping and OCSPSigning.
func NewStore(extraEKUs []asn1.ObjectIdentifier, sources ...*Source) *Store {
	return &Store{sources: sources, ekus: extraEKUs}
}

// SeparatePurposes returns a copy of s in which the C2PA TSA Trust List
// vouches only for time-stamp authorities and the C2PA Trust List only for
// claim signers (the C2PA 2.3 model). By default, as in c2pa-rs ≤ 0.91,
// every source vouches for both.
func (s *Store) SeparatePurposes() *Store {
	c := *s
	c.separate = true
	return &c
}

// forPurpose returns the store restricted to the sources that vouch for
// signers (tsa false) or time-stamp authorities (tsa true).
func (s *Store) forPurpose(tsa bool, ekus []asn1.ObjectIdentifier) *Store {
	out := &Store{ekus: ekus}
	for _, src := range s.sources {
		if s.separate && ((tsa && src.Kind == Official) || (!tsa && src.Kind == OfficialTSA)) {
			continue
		}
		out.sources = append(out.sources, src)
	}
	return out
}

// Sources returns the store's sources in consultation order.
func (s *Store) Sources() []*Source { return append([]*Source(nil), s.sources...) }

// ExtraEKUs returns the EKUs accepted beyond the always-accepted three.
func (s *Store) ExtraEKUs() []asn1.ObjectIdentifier { return s.ekus }

// Empty reports whether the store has no anchors and no allowed leaves, in
// which case every credential is untrusted.
func (s *Store) Empty() bool {
	for _, src := range s.sources {
		if len(src.Anchors) > 0 || len(src.EndEntities) > 0 {
			return false
		}
	}
	return true
}

// Anchor says where a chain was anchored.
type Anchor struct {
	Source *Source
	// Certificate is the anchor that verified the chain; nil for an
	// allowed end-entity.
	Certificate *x509.Certificate
}

// TrustChain decides whether chain (leaf first, as carried in x5chain or a
// time-stamp) reaches an anchor, the way c2pa-rs 0.91's native verifier
// does: an allowed end-entity leaf is trusted outright; otherwise the leaf
// needs an accepted EKU; each certificate must be signed by the next, and
// every issuer must be a CA (basicConstraints cA, keyCertSign when key usage
// is present, path length respected); every certificate must be valid at
// the time at (the trusted time-stamp's time, or now; zero means now); then,
// source by source, walking from the last certificate back to the leaf, the
// first anchor that vouches for a certificate (subject = its issuer, key
// verifies it) makes the chain trusted.
func (s *Store) TrustChain(chain []*x509.Certificate, at time.Time) (*Anchor, error) {
	if len(chain) == 0 {
		return nil, fmt.Errorf("%w: empty chain", ErrUntrusted)
	}
	leaf := chain[0]
	d := leafDigest(leaf.Raw)
	for _, src := range s.sources {
		if src.EndEntities[d] {
			return &Anchor{Source: src}, nil
		}
	}
	if s.Empty() {
		return nil, fmt.Errorf("%w: no trust anchors configured", ErrUntrusted)
	}
	ekus, ok := readEKUs(leaf)
	if !ok || !ekus.present || !allowedEKU(ekus, s.ekus) {
		return nil, fmt.Errorf("%w: leaf lacks an accepted EKU", ErrUntrusted)
	}
	for i := 1; i < len(chain); i++ {
		if err := checkSignature(chain[i-1], chain[i]); err != nil {
			return nil, fmt.Errorf("%w: x5chain[%d] not signed by x5chain[%d]: %v", ErrUntrusted, i-1, i, err)
		}
		if err := checkCA(chain[i], i-1); err != nil {
			return nil, fmt.Errorf("%w: x5chain[%d] %v", ErrUntrusted, i, err)
		}
	}
	if at.IsZero() {
		at = time.Now()
	}
	at = at.Truncate(time.Second)
	for _, c := range chain {
		if at.Before(c.NotBefore) || at.After(c.NotAfter) {
			return nil, fmt.Errorf("%w: %s not valid at %s", ErrUntrusted, c.Subject, at.Format(time.RFC3339))
		}
	}
	for _, src := range s.sources {
		for i := len(chain) - 1; i >= 0; i-- {
			c := chain[i]
			for _, a := range src.Anchors {
				if bytes.Equal(c.RawIssuer, a.RawSubject) && checkSignature(c, a) == nil {
					return &Anchor{Source: src, Certificate: a}, nil
				}
			}
		}
	}
	return nil, ErrUntrusted
}

// checkCA checks that issuer may issue certificates with certsBelow CA
// certificates between it and the leaf (RFC 5280 §6.1.4 (k), (l), (n)).
func checkCA(issuer *x509.Certificate, certsBelow int) error {
	if !issuer.BasicConstraintsValid || !issuer.IsCA {
		return errors.New("is not a CA")
	}
	if (issuer.MaxPathLen > 0 || issuer.MaxPathLenZero) && certsBelow > issuer.MaxPathLen {
		return fmt.Errorf("path length constraint %d exceeded", issuer.MaxPathLen)
	}
	if hasExtension(issuer, oidKeyUsage) && issuer.KeyUsage&x509.KeyUsageCertSign == 0 {
		return errors.New("lacks keyCertSign")
	}
	return nil
}

// checkSignature verifies child's signature with parent's key, without
// crypto/x509's CA-flag and algorithm-policy checks (c2pa-rs has none here)
// and with RSASSA-PSS keys supported.
func checkSignature(child, parent *x509.Certificate) error {
	pub, err := cose.PublicKey(parent)
	if err != nil {
		return err
	}
	var h crypto.Hash
	pss := false
	switch child.SignatureAlgorithm {
	case x509.SHA256WithRSA, x509.ECDSAWithSHA256:
		h = crypto.SHA256
	case x509.SHA384WithRSA, x509.ECDSAWithSHA384:
		h = crypto.SHA384
	case x509.SHA512WithRSA, x509.ECDSAWithSHA512:
		h = crypto.SHA512
	case x509.SHA256WithRSAPSS:
		h, pss = crypto.SHA256, true
	case x509.SHA384WithRSAPSS:
		h, pss = crypto.SHA384, true
	case x509.SHA512WithRSAPSS:
		h, pss = crypto.SHA512, true
	case x509.PureEd25519:
	default:
		return fmt.Errorf("unsupported certificate signature algorithm %v", child.SignatureAlgorithm)
	}
	digest := func() []byte {
		w := h.New()
		w.Write(child.RawTBSCertificate)
		return w.Sum(nil)
	}
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if h == 0 {
			break
		}
		if pss {
			return rsa.VerifyPSS(k, h, digest(), child.Signature, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto})
		}
		return rsa.VerifyPKCS1v15(k, h, digest(), child.Signature)
	case *ecdsa.PublicKey:
		if h == 0 || pss {
			break
		}
		if ecdsa.VerifyASN1(k, digest(), child.Signature) {
			return nil
		}
		return errors.New("ECDSA verification failed")
	case ed25519.PublicKey:
		if child.SignatureAlgorithm != x509.PureEd25519 {
			break
		}
		if ed25519.Verify(k, child.RawTBSCertificate, child.Signature) {
			return nil
		}
		return errors.New("Ed25519 verification failed")
	}
	return fmt.Errorf("key %T does not fit %v", pub, child.SignatureAlgorithm)
}
