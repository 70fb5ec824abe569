package cose

import (
	"crypto/x509"
	"fmt"
	"strconv"

	"github.com/fxamacker/cbor/v2"
)

// COSE_Sign1 tag and the header labels C2PA uses.
const (
	TagSign1 = 18

	labelAlg         = 1
	labelContentType = 3
	labelKID         = 4
	labelIV          = 5
	labelPartialIV   = 6
	labelX5Chain     = 33
)

// Text header labels of the unprotected header [C2PA §10.3.2.5, §14.5.2, §10.4].
const (
	LabelSigTst  = "sigTst"
	LabelSigTst2 = "sigTst2"
	LabelRVals   = "rVals"
	LabelPad     = "pad"
	LabelPad2    = "pad2"
	LabelX5Chain = "x5chain"
)

// Label is a COSE header label: an integer or a text string.
type Label struct {
	Int    int64
	Text   string
	IsText bool
}

// IntLabel returns the integer label i.
func IntLabel(i int64) Label { return Label{Int: i} }

// TextLabel returns the text label s.
func TextLabel(s string) Label { return Label{Text: s, IsText: true} }

// String formats the label as CBOR diagnostic notation would.
func (l Label) String() string {
	if l.IsText {
		return strconv.Quote(l.Text)
	}
	return strconv.FormatInt(l.Int, 10)
}

// Param is one header parameter; Value is its encoded CBOR item.
type Param struct {
	Label Label
	Value cbor.RawMessage
}

// Header is a COSE header map in encoded order.
type Header []Param

// Get returns the first value under l.
func (h Header) Get(l Label) (cbor.RawMessage, bool) {
	for _, p := range h {
		if p.Label == l {
			return p.Value, true
		}
	}
	return nil, false
}

// Sign1 is a parsed COSE_Sign1. Its byte slices alias the parsed input.
type Sign1 struct {
	// Raw is the whole tagged structure as parsed.
	Raw []byte
	// ProtectedRaw is the serialized protected header (the content of the
	// first bstr) exactly as stored: Sig_structure covers these bytes.
	ProtectedRaw []byte
	// Protected is the decoded protected header.
	Protected Header
	// Unprotected is the unprotected header.
	Unprotected Header
	// Payload is the embedded payload; nil when Detached.
	Payload []byte
	// Detached is true when the payload is CBOR nil, as C2PA requires.
	Detached bool
	// Signature is the signature bytes (raw r‖s for ECDSA).
	Signature []byte
}

// Parse decodes a tagged COSE_Sign1 (CBOR tag 18). It rejects trailing
// bytes, duplicate header labels and mistyped well-known parameters, as
// coset (used by c2pa-rs) does. It never panics.
func Parse(b []byte) (*Sign1, error) {
	if len(b) > MaxSize {
		return nil, malformed(-1, "%d bytes exceed the %d-byte limit", len(b), MaxSize)
	}
	whole, rest, err := item(b)
	if err != nil {
		return nil, malformed(0, "%v", err)
	}
	if len(rest) != 0 {
		return nil, malformed(len(whole), "%d bytes after the COSE_Sign1", len(rest))
	}
	major, arg, n, err := head(b)
	if err != nil || major != majorTag || arg != TagSign1 {
		return nil, malformed(0, "not a COSE_Sign1_Tagged (tag 18)")
	}
	var elems []cbor.RawMessage
	if err := decMode.Unmarshal(b[n:], &elems); err != nil {
		return nil, malformed(n, "COSE_Sign1 is not an array: %v", err)
	}
	if len(elems) != 4 {
		return nil, malformed(n, "COSE_Sign1 has %d elements, want 4", len(elems))
	}
	s := &Sign1{Raw: b}
	off := func(e []byte) int { return offsetIn(b, e) }

	if s.ProtectedRaw, err = byteString(elems[0]); err != nil {
		return nil, malformed(off(elems[0]), "protected header: %v", err)
	}
	if len(s.ProtectedRaw) > 0 {
		if s.Protected, err = parseHeader(s.ProtectedRaw); err != nil {
			return nil, malformed(off(s.ProtectedRaw), "protected header: %v", err)
		}
	}
	if s.Unprotected, err = parseHeader(elems[1]); err != nil {
		return nil, malformed(off(elems[1]), "unprotected header: %v", err)
	}
	if len(elems[2]) == 1 && elems[2][0] == 0xf6 {
		s.Detached = true
	} else if s.Payload, err = byteString(elems[2]); err != nil {
		return nil, malformed(off(elems[2]), "payload: %v", err)
	}
	if s.Signature, err = byteString(elems[3]); err != nil {
		return nil, malformed(off(elems[3]), "signature: %v", err)
	}
	return s, nil
}

func offsetIn(outer, inner []byte) int {
	if len(inner) == 0 || len(outer) == 0 {
		return -1
	}
	for i := range outer {
		if &outer[i] == &inner[0] {
			return i
		}
	}
	return -1
}

// byteString returns the content of a definite-length bstr item, aliasing it.
func byteString(raw []byte) ([]byte, error) {
	major, arg, n, err := head(raw)
	if err != nil {
		return nil, err
	}
	if major != majorBytes {
		return nil, fmt.Errorf("major type %d, want byte string", major)
	}
	if arg == indefinite {
		var b []byte
		if err := decMode.Unmarshal(raw, &b); err != nil {
			return nil, err
		}
		return b, nil
	}
	if arg > uint64(len(raw)-n) {
		return nil, fmt.Errorf("byte string longer than its item")
	}
	return raw[n : n+int(arg)], nil
}

// parseHeader decodes a header map keeping its order.
func parseHeader(raw []byte) (Header, error) {
	whole, rest, err := item(raw)
	if err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("%d bytes after the header map", len(rest))
	}
	major, arg, n, err := head(whole)
	if err != nil {
		return nil, err
	}
	if major != majorMap {
		return nil, fmt.Errorf("major type %d, want map", major)
	}
	body := whole[n:]
	var h Header
	for i := uint64(0); arg == indefinite || i < arg; i++ {
		if arg == indefinite && len(body) > 0 && body[0] == 0xff {
			break
		}
		var k, v cbor.RawMessage
		if k, body, err = item(body); err != nil {
			return nil, err
		}
		if v, body, err = item(body); err != nil {
			return nil, err
		}
		l, err := parseLabel(k)
		if err != nil {
			return nil, err
		}
		if _, dup := h.Get(l); dup {
			return nil, fmt.Errorf("duplicate label %v", l)
		}
		if err := checkWellKnown(l, v); err != nil {
			return nil, err
		}
		h = append(h, Param{Label: l, Value: v})
	}
	return h, nil
}

func parseLabel(k []byte) (Label, error) {
	major, _, _, err := head(k)
	if err != nil {
		return Label{}, err
	}
	switch major {
	case majorUint, majorNegInt:
		var i int64
		if err := decMode.Unmarshal(k, &i); err != nil {
			return Label{}, fmt.Errorf("label: %v", err)
		}
		return IntLabel(i), nil
	case majorText:
		var s string
		if err := decMode.Unmarshal(k, &s); err != nil {
			return Label{}, fmt.Errorf("label: %v", err)
		}
		return TextLabel(s), nil
	}
	return Label{}, fmt.Errorf("label of major type %d", major)
}

// checkWellKnown applies coset's type rules for the common parameters.
func checkWellKnown(l Label, v []byte) error {
	if l.IsText {
		return nil
	}
	major, _, _, err := head(v)
	if err != nil {
		return err
	}
	ok := true
	switch l.Int {
	case labelAlg, labelContentType:
		ok = major == majorUint || major == majorNegInt || major == majorText
	case labelKID, labelIV, labelPartialIV:
		ok = major == majorBytes
	}
	if !ok {
		return fmt.Errorf("label %v has a value of major type %d", l, major)
	}
	return nil
}

// Algorithm returns the alg of the protected header. A missing alg, a text
// alg or an id outside the C2PA list yields ErrUnsupportedAlgorithm.
func (s *Sign1) Algorithm() (Algorithm, error) {
	v, ok := s.Protected.Get(IntLabel(labelAlg))
	if !ok {
		return 0, fmt.Errorf("%w: no alg in the protected header", ErrUnsupportedAlgorithm)
	}
	var id int64
	if err := decMode.Unmarshal(v, &id); err != nil {
		return 0, fmt.Errorf("%w: alg is not an integer", ErrUnsupportedAlgorithm)
	}
	a := Algorithm(id)
	if !a.Supported() {
		return 0, fmt.Errorf("%w: alg %d", ErrUnsupportedAlgorithm, id)
	}
	return a, nil
}

// CertificateChain returns the DER certificates of the x5chain, leaf first,
// following c2pa-rs: in the protected header the first of text "x5chain" or
// label 33; in the unprotected header only text "x5chain" (RS-QUIRK: an
// unprotected label 33 is ignored); a chain in both ⇒ ErrMultipleChains.
// Non-bstr array elements are skipped.
func (s *Sign1) CertificateChain() ([][]byte, error) {
	var prot cbor.RawMessage
	for _, p := range s.Protected {
		if p.Label == TextLabel(LabelX5Chain) || p.Label == IntLabel(labelX5Chain) {
			prot = p.Value
			break
		}
	}
	unprot, unprotErr := s.unprotectedChain()
	if prot == nil {
		return unprot, unprotErr
	}
	if unprotErr == nil {
		return nil, ErrMultipleChains
	}
	return chainFromValue(prot)
}

func (s *Sign1) unprotectedChain() ([][]byte, error) {
	v, ok := s.Unprotected.Get(TextLabel(LabelX5Chain))
	if !ok {
		return nil, ErrMissingCertificate
	}
	return chainFromValue(v)
}

func chainFromValue(v []byte) ([][]byte, error) {
	major, _, _, err := head(v)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMissingCertificate, err)
	}
	switch major {
	case majorBytes:
		b, err := byteString(v)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMissingCertificate, err)
		}
		return [][]byte{b}, nil
	case majorArray:
		var elems []cbor.RawMessage
		if err := decMode.Unmarshal(v, &elems); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMissingCertificate, err)
		}
		var certs [][]byte
		for _, e := range elems {
			if b, err := byteString(e); err == nil {
				certs = append(certs, b)
			}
		}
		if len(certs) == 0 {
			return nil, fmt.Errorf("%w: empty x5chain", ErrMissingCertificate)
		}
		return certs, nil
	}
	return nil, fmt.Errorf("%w: x5chain of major type %d", ErrMissingCertificate, major)
}

// Certificates parses the x5chain, leaf first.
func (s *Sign1) Certificates() ([]*x509.Certificate, error) {
	ders, err := s.CertificateChain()
	if err != nil {
		return nil, err
	}
	certs := make([]*x509.Certificate, 0, len(ders))
	for i, d := range ders {
		c, err := ParseCertificate(d)
		if err != nil {
			return nil, fmt.Errorf("%w: x5chain[%d]: %v", ErrBadCertificate, i, err)
		}
		certs = append(certs, c)
	}
	return certs, nil
}

// TimeStampHeader is the time-stamp container found in the unprotected
// header.
type TimeStampHeader struct {
	// Version is 1 for sigTst (tokens are full TimeStampResp) and 2 for
	// sigTst2 (tokens are TimeStampToken ContentInfo).
	Version int
	// Tokens are the "val" byte strings of tstTokens, in order.
	Tokens [][]byte
}

// tstContainer is {"tstTokens": [{"val": bstr}]} [C2PA §10.3.2.5.4].
type tstContainer struct {
	Tokens []struct {
		Val []byte `cbor:"val"`
	} `cbor:"tstTokens"`
}

// TimeStampHeader returns the first of sigTst2/sigTst in header order, as
// c2pa-rs picks it. ok is false when there is none; err is set when the
// container does not decode.
func (s *Sign1) TimeStampHeader() (h TimeStampHeader, ok bool, err error) {
	for _, p := range s.Unprotected {
		if !p.Label.IsText {
			continue
		}
		switch p.Label.Text {
		case LabelSigTst2:
			h.Version = 2
		case LabelSigTst:
			h.Version = 1
		default:
			continue
		}
		var c tstContainer
		if err := decMode.Unmarshal(p.Value, &c); err != nil {
			return h, true, fmt.Errorf("%w: %s: %v", ErrTimeStampMalformed, p.Label.Text, err)
		}
		if c.Tokens == nil {
			return h, true, fmt.Errorf("%w: %s has no tstTokens", ErrTimeStampMalformed, p.Label.Text)
		}
		for _, t := range c.Tokens {
			h.Tokens = append(h.Tokens, t.Val)
		}
		return h, true, nil
	}
	return h, false, nil
}

// OCSPResponses returns the DER OCSP responses of rVals.ocspVals, if any.
func (s *Sign1) OCSPResponses() [][]byte {
	v, ok := s.Unprotected.Get(TextLabel(LabelRVals))
	if !ok {
		return nil
	}
	var r struct {
		OCSP [][]byte `cbor:"ocspVals"`
	}
	if decMode.Unmarshal(v, &r) != nil {
		return nil
	}
	return r.OCSP
}
