package c2pa

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"fmt"
	"hash"
	"io"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"

	"provgraph/c2pa/jumbf"
	"provgraph/c2pa/status"
)

// Manifest child labels.
const (
	labelAssertions  = "c2pa.assertions"
	labelSignature   = "c2pa.signature"
	labelCredentials = "c2pa.credentials"
	labelDataboxes   = "c2pa.databoxes"
)

// MaxAssertions bounds the assertions of one manifest, as c2pa-rs does.
const MaxAssertions = 100000

// Store is a parsed C2PA manifest store.
type Store struct {
	Box       *jumbf.Box  // the manifest store superbox as parsed
	Manifests []*Manifest // in store order; the active manifest is the last
	byLabel   map[string]*Manifest
}

// Manifest is one manifest of a store.
type Manifest struct {
	Label        string
	Box          *jumbf.Box // the manifest superbox (decompressed for c2cm)
	Type         jumbf.UUID // c2ma, c2md or c2um
	Claim        *Claim
	ClaimBox     *jumbf.Box
	Assertions   []*Assertion
	SignatureBox *jumbf.Box
	Signature    []byte // COSE_Sign1 bytes of the claim signature
	children     []*jumbf.Box
}

// Update reports whether m is an update manifest.
func (m *Manifest) Update() bool { return m.Type == jumbf.UpdateManifest }

// Assertion returns the assertion labelled label (with instance suffix), or nil.
func (m *Manifest) Assertion(label string) *Assertion {
	for _, a := range m.Assertions {
		if a.Label == label {
			return a
		}
	}
	return nil
}

// SignatureURI returns the absolute URI of the manifest's claim signature.
func (m *Manifest) SignatureURI() string {
	return jumbf.URI{Manifest: m.Label, Path: []string{labelSignature}}.String()
}

// AssertionURI returns the absolute URI of an assertion of m.
func (m *Manifest) AssertionURI(label string) string {
	return jumbf.URI{Manifest: m.Label, Path: []string{labelAssertions, label}}.String()
}

// Manifest returns the manifest labelled label, or nil.
func (s *Store) Manifest(label string) *Manifest { return s.byLabel[label] }

// Active returns the active manifest (the last one), or nil.
func (s *Store) Active() *Manifest {
	if len(s.Manifests) == 0 {
		return nil
	}
	return s.Manifests[len(s.Manifests)-1]
}

// AssertionKind says how an assertion's content is stored.
type AssertionKind int

// Assertion content kinds.
const (
	KindCBOR AssertionKind = iota
	KindJSON
	KindUUID
	KindEmbedded
	KindOther
)

// Assertion is one assertion box of a manifest.
type Assertion struct {
	Label     string // full label, with .vN and __N
	Box       *jumbf.Box
	Kind      AssertionKind
	Data      []byte // cbor/json payload; uuid: bytes after the 16-byte UUID; embedded: bidb payload
	UUID      []byte // KindUUID: the 16-byte UUID
	MediaType string // KindEmbedded: the bfdb media type
	Salt      []byte
}

// BaseLabel returns the label without its __N instance suffix.
func (a *Assertion) BaseLabel() string { l, _ := splitInstance(a.Label); return l }

// Instance returns the instance number (0 for the first instance).
func (a *Assertion) Instance() int { _, n := splitInstance(a.Label); return n }

func splitInstance(label string) (string, int) {
	i := strings.LastIndex(label, "__")
	if i < 0 {
		return label, 0
	}
	rest := label[i+2:]
	num := rest
	if j := strings.IndexByte(rest, '.'); j >= 0 { // c2pa.thumbnail.ingredient__1.jpeg
		num = rest[:j]
	}
	n, err := strconv.Atoi(num)
	if err != nil {
		return label, 0
	}
	return label[:i] + rest[len(num):], n
}

// canonicalBox rebuilds the assertion superbox the way c2pa-rs serialises it
// before hashing (C2PA-NOTES §1.9).
func (a *Assertion) canonicalBox() *jumbf.Box {
	switch a.Kind {
	case KindCBOR:
		return jumbf.NewSuperBox(jumbf.CBORAssertion, a.Label, a.Salt, jumbf.NewContentBox(jumbf.TypeCBOR, a.Data))
	case KindJSON:
		return jumbf.NewSuperBox(jumbf.JSONAssertion, a.Label, a.Salt, jumbf.NewContentBox(jumbf.TypeJSON, a.Data))
	case KindUUID:
		return jumbf.NewSuperBox(jumbf.UUIDAssertion, a.Label, a.Salt, jumbf.NewContentBox(jumbf.TypeUUID, append(append([]byte{}, a.UUID...), a.Data...)))
	case KindEmbedded:
		desc := append(append([]byte{0}, a.MediaType...), 0)
		return jumbf.NewSuperBox(jumbf.EmbeddedFile, a.Label, a.Salt,
			jumbf.NewContentBox(jumbf.TypeFileDesc, desc), jumbf.NewContentBox(jumbf.TypeFileData, a.Data))
	}
	return a.Box.Canonical()
}

// Hash returns the hashed-URI hash of the assertion under alg.
func (a *Assertion) Hash(alg string) ([]byte, error) {
	return hashBytes(alg, a.canonicalBox().PayloadBytes())
}

// newHash returns a hash.Hash for a C2PA hash algorithm name.
func newHash(alg string) (hash.Hash, error) {
	switch alg {
	case "sha256":
		return sha256.New(), nil
	case "sha384":
		return sha512.New384(), nil
	case "sha512":
		return sha512.New(), nil
	}
	return nil, fmt.Errorf("c2pa: unsupported hash algorithm %q", alg)
}

func hashBytes(alg string, b []byte) ([]byte, error) {
	h, err := newHash(alg)
	if err != nil {
		return nil, err
	}
	h.Write(b)
	return h.Sum(nil), nil
}

// manifestHash returns the hash c2pa-rs computes for an ingredient's
// activeManifest reference: the payload of the manifest superbox rebuilt
// from its parsed parts in original order, uncompressed, unsalted.
func (m *Manifest) manifestHash(alg string) ([]byte, error) {
	var kids []*jumbf.Box
	for _, c := range m.children {
		if c.Label() == labelAssertions {
			as := jumbf.NewSuperBox(jumbf.AssertionStore, labelAssertions, c.Salt())
			for _, a := range m.Assertions {
				as.Children = append(as.Children, a.canonicalBox())
			}
			kids = append(kids, as)
			continue
		}
		kids = append(kids, c.Canonical())
	}
	return hashBytes(alg, jumbf.NewSuperBox(m.Type, m.Label, nil, kids...).PayloadBytes())
}

// signatureHash returns the hash of the rebuilt c2pa.signature box payload
// (ingredient v3 claimSignature reference).
func (m *Manifest) signatureHash(alg string) ([]byte, error) {
	b := jumbf.NewSuperBox(jumbf.ClaimSignature, labelSignature, nil, jumbf.NewContentBox(jumbf.TypeCBOR, m.Signature))
	return hashBytes(alg, b.PayloadBytes())
}

// ParseStore parses manifest store bytes with c2pa-rs's structural rules
// (C2PA-NOTES §1.7). Recoverable problems are logged to log; problems that
// make c2pa-rs abort are returned as *ReadError.
func ParseStore(data []byte, log *status.Log) (*Store, error) {
	if log == nil {
		log = &status.Log{}
	}
	root, err := jumbf.ParseSuperBox(data, jumbf.DefaultLimits)
	if err != nil {
		return nil, readErr(ErrJumbfParse, "", err)
	}
	if root.Desc.Type != jumbf.ManifestStore {
		return nil, readErr(ErrBlockNotFound, "", nil)
	}
	s := &Store{Box: root, byLabel: map[string]*Manifest{}}
	for _, mb := range root.Children {
		if mb.Desc == nil {
			continue
		}
		typ := mb.Desc.Type
		if typ == jumbf.CompressedManifest {
			inner, err := decompressManifest(mb)
			if err != nil {
				log.Failure(status.ManifestCompressedInvalid, jumbf.ManifestURI(mb.Label()), err.Error())
				continue
			}
			mb, typ = inner, inner.Desc.Type
		}
		if typ != jumbf.StandardManifest && typ != jumbf.StandardManifestAlt && typ != jumbf.UpdateManifest {
			continue
		}
		m, err := parseManifest(mb, typ, log)
		if err != nil {
			return nil, err
		}
		s.Manifests = append(s.Manifests, m)
		s.byLabel[m.Label] = m
	}
	return s, nil
}

// MaxDecompressedManifest bounds a decompressed c2cm manifest, as c2pa-rs's
// core.max_decompressed_manifest_size_in_mb (32 MiB) does.
const MaxDecompressedManifest = 32 << 20

// decompressManifest returns the manifest superbox a compressed manifest
// (c2cm) wraps: the Brotli-decoded content of its brob box, which must be a
// standard or update manifest with the same label.
func decompressManifest(mb *jumbf.Box) (*jumbf.Box, error) {
	bb := mb.ContentBox(jumbf.TypeBrotli)
	if bb == nil {
		return nil, errors.New("compressed manifest without brob box")
	}
	raw, err := io.ReadAll(io.LimitReader(brotli.NewReader(bytes.NewReader(bb.Payload)), MaxDecompressedManifest+1))
	if err != nil {
		return nil, fmt.Errorf("brotli: %v", err)
	}
	if len(raw) > MaxDecompressedManifest {
		return nil, fmt.Errorf("decompressed manifest exceeds %d bytes", MaxDecompressedManifest)
	}
	inner, err := jumbf.ParseSuperBox(raw, jumbf.DefaultLimits)
	if err != nil {
		return nil, err
	}
	if t := inner.Desc.Type; (t != jumbf.StandardManifest && t != jumbf.StandardManifestAlt && t != jumbf.UpdateManifest) || inner.Label() != mb.Label() {
		return nil, errors.New("compressed content is not the labelled manifest")
	}
	return inner, nil
}

func parseManifest(mb *jumbf.Box, typ jumbf.UUID, log *status.Log) (*Manifest, error) {
	m := &Manifest{Label: mb.Label(), Box: mb, Type: typ}
	var assertionStore *jumbf.Box
	claimBoxes := 0
	for _, c := range mb.Children {
		if c.Desc == nil {
			continue
		}
		base, _ := splitInstance(c.Label())
		switch {
		case base == labelAssertions:
			assertionStore = c
		case base == ClaimLabelV1 || strings.HasPrefix(base, ClaimLabelV1+".v"):
			claimBoxes++
			m.ClaimBox = c
		case base == labelSignature:
			m.SignatureBox = c
		case base == labelCredentials, base == labelDataboxes:
			// kept for the manifest hash; credentials are refused in v2
			// claims once the claim is known
		default:
			log.Failure(status.ClaimMultiple, jumbf.ManifestURI(m.Label), "unknown manifest box "+c.Label())
			continue
		}
		m.children = append(m.children, c)
	}
	if claimBoxes > 1 {
		log.Failure(status.ClaimMultiple, jumbf.ManifestURI(m.Label), "more than one claim")
		return nil, readErr(ErrClaimMultiple, "", nil)
	}
	if m.ClaimBox == nil {
		log.Failure(status.ClaimMissing, jumbf.ManifestURI(m.Label), "manifest has no claim")
		return nil, readErr(ErrClaimDecoding, "claim missing", nil)
	}
	version := 1
	if l := m.ClaimBox.Label(); l != ClaimLabelV1 {
		v, err := strconv.Atoi(strings.TrimPrefix(l, ClaimLabelV1+".v"))
		if err != nil {
			return nil, readErr(ErrClaimDecoding, "bad claim label "+l, err)
		}
		if v > 2 {
			return nil, readErr(ErrClaimVersionTooNew, "", nil)
		}
		version = v
	}
	contents := m.ClaimBox.ContentBoxes()
	if len(contents) != 1 {
		return nil, readErr(ErrClaimDecoding, "claim box must hold one content box", nil)
	}
	if contents[0].Type == jumbf.TypeJSON {
		return nil, readErr(ErrPrerelease, "", nil)
	}
	if contents[0].Type != jumbf.TypeCBOR {
		return nil, readErr(ErrClaimDecoding, "claim is not CBOR", nil)
	}
	claim, err := DecodeClaim(contents[0].Payload)
	if errors.Is(err, errNoAlg) {
		log.Failure(status.AlgorithmUnsupported, jumbf.ManifestURI(m.Label), "claim has no alg")
		return nil, readErr(ErrUnknownAlgorithm, "", nil)
	}
	if err != nil {
		log.Failure(status.ClaimMalformed, jumbf.ManifestURI(m.Label), err.Error())
		return nil, readErr(ErrClaimDecoding, err.Error(), err)
	}
	if version == 2 && claim.Version == 1 {
		return nil, readErr(ErrClaimBoxVersion, "", nil)
	}
	m.Claim = claim
	if claim.Version == 2 {
		for _, c := range m.children {
			if c.Label() == labelCredentials {
				return nil, readErr(ErrUnsupportedFeature, "verifiable credentials in a v2 claim", nil)
			}
		}
	}
	if m.SignatureBox != nil {
		if cb := m.SignatureBox.ContentBox(jumbf.TypeCBOR); cb != nil {
			m.Signature = cb.Payload
		}
	}
	if assertionStore != nil {
		if len(assertionStore.Children) > MaxAssertions {
			return nil, readErr(ErrTooManyAssertions, "", nil)
		}
		refs := claim.Assertions()
		for i, ab := range assertionStore.Children {
			if ab.Desc == nil {
				continue
			}
			a := loadAssertion(ab, m, log)
			// c2pa-rs matches by substring of the URL (RS-QUIRK, §1.8).
			var ref *HashedURI
			for j := range refs {
				if strings.Contains(refs[j].URL, a.Label) {
					ref = &refs[j]
					break
				}
			}
			if ref == nil {
				log.Failure(status.AssertionMissing, m.AssertionURI(a.Label), "assertion not referenced by the claim")
				return nil, readErr(ErrAssertionMissing, a.Label, nil)
			}
			if i == 0 && isPrerelease(a, ref, claim.Alg) {
				return nil, readErr(ErrPrerelease, "", nil)
			}
			m.Assertions = append(m.Assertions, a)
		}
	}
	return m, nil
}

// isPrerelease detects pre-1.0 stores, whose hashed URIs hash the raw
// assertion data instead of the assertion box.
func isPrerelease(a *Assertion, ref *HashedURI, claimAlg string) bool {
	alg := ref.Alg
	if alg == "" {
		alg = claimAlg
	}
	h, err := hashBytes(alg, a.Data)
	return err == nil && bytes.Equal(h, ref.Hash)
}

func loadAssertion(ab *jumbf.Box, m *Manifest, log *status.Log) *Assertion {
	a := &Assertion{Label: ab.Label(), Box: ab, Salt: ab.Salt(), Kind: KindOther}
	switch ab.Desc.Type {
	case jumbf.CBORAssertion:
		if cb := ab.ContentBox(jumbf.TypeCBOR); cb != nil {
			a.Kind, a.Data = KindCBOR, cb.Payload
			if _, err := cborToValue(a.Data); err != nil {
				log.Failure(status.AssertionCBORInvalid, m.AssertionURI(a.Label), err.Error())
			}
		}
	case jumbf.JSONAssertion:
		if jb := ab.ContentBox(jumbf.TypeJSON); jb != nil {
			a.Kind, a.Data = KindJSON, jb.Payload
			if _, err := jsonToValue(a.Data); err != nil {
				log.Failure(status.AssertionJSONInvalid, m.AssertionURI(a.Label), err.Error())
			}
		}
	case jumbf.UUIDAssertion:
		if ub := ab.ContentBox(jumbf.TypeUUID); ub != nil && len(ub.Payload) >= 16 {
			a.Kind, a.UUID, a.Data = KindUUID, ub.Payload[:16], ub.Payload[16:]
		}
	case jumbf.EmbeddedFile:
		db, fb := ab.ContentBox(jumbf.TypeFileDesc), ab.ContentBox(jumbf.TypeFileData)
		if db != nil && fb != nil && len(db.Payload) >= 1 {
			a.Kind, a.Data = KindEmbedded, fb.Payload
			mt := db.Payload[1:]
			if i := bytes.IndexByte(mt, 0); i >= 0 {
				mt = mt[:i]
			}
			a.MediaType = string(mt)
		}
	}
	return a
}
