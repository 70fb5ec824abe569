package cose

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	_ "crypto/sha1" // SHA-1 imprints are accepted on verification
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"time"
)

// MaxTimeStampSize bounds a time-stamp token or response.
const MaxTimeStampSize = 1 << 20

var (
	oidSignedData    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidTSTInfo       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 1, 4}
	oidMessageDigest = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidSigningTime   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
	oidSKI           = asn1.ObjectIdentifier{2, 5, 29, 14}

	digestOIDs = map[string]crypto.Hash{
		"1.3.14.3.2.26":          crypto.SHA1,
		"2.16.840.1.101.3.4.2.1": crypto.SHA256,
		"2.16.840.1.101.3.4.2.2": crypto.SHA384,
		"2.16.840.1.101.3.4.2.3": crypto.SHA512,
	}
)

type contentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"explicit,tag:0"`
}

type pkiStatusInfo struct {
	Status       int
	StatusString asn1.RawValue  `asn1:"optional"`
	FailInfo     asn1.BitString `asn1:"optional"`
}

type timeStampResp struct {
	Status pkiStatusInfo
	Token  asn1.RawValue `asn1:"optional"`
}

type encapContentInfo struct {
	EContentType asn1.ObjectIdentifier
	EContent     []byte `asn1:"explicit,optional,tag:0"`
}

type signedData struct {
	Version          int
	DigestAlgorithms asn1.RawValue
	EncapContentInfo encapContentInfo
	Certificates     asn1.RawValue `asn1:"optional,tag:0"`
	CRLs             asn1.RawValue `asn1:"optional,tag:1"`
	SignerInfos      asn1.RawValue
}

type signerInfo struct {
	Version            int
	SID                asn1.RawValue
	DigestAlgorithm    pkix.AlgorithmIdentifier
	SignedAttrs        asn1.RawValue `asn1:"optional,tag:0"`
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          []byte
	UnsignedAttrs      asn1.RawValue `asn1:"optional,tag:1"`
}

type issuerAndSerial struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

type attribute struct {
	Type   asn1.ObjectIdentifier
	Values asn1.RawValue `asn1:"set"`
}

type messageImprint struct {
	HashAlgorithm pkix.AlgorithmIdentifier
	HashedMessage []byte
}

type accuracy struct {
	Seconds int64 `asn1:"optional"`
	Millis  int64 `asn1:"optional,tag:0"`
	Micros  int64 `asn1:"optional,tag:1"`
}

type tstInfo struct {
	Version        int
	Policy         asn1.ObjectIdentifier
	MessageImprint messageImprint
	SerialNumber   *big.Int
	GenTime        time.Time     `asn1:"generalized"`
	Accuracy       accuracy      `asn1:"optional"`
	Ordering       bool          `asn1:"optional,default:false"`
	Nonce          *big.Int      `asn1:"optional"`
	TSA            asn1.RawValue `asn1:"optional,explicit,tag:0"`
	Extensions     asn1.RawValue `asn1:"optional,tag:1"`
}

// TimeStamp is a parsed RFC 3161 time-stamp token.
type TimeStamp struct {
	// Token is the DER TimeStampToken (a CMS ContentInfo).
	Token []byte
	// GenTime is TSTInfo.genTime.
	GenTime time.Time
	// Time is the time c2pa-rs takes as the signing time: the CMS
	// signingTime attribute when the signer info has one (RS-QUIRK), else
	// GenTime; whole seconds. Set by Verify.
	Time time.Time
	// Accuracy is TSTInfo.accuracy (zero when absent).
	Accuracy time.Duration
	// Nonce is TSTInfo.nonce, nil when absent.
	Nonce *big.Int
	// ImprintHash and ImprintDigest are TSTInfo.messageImprint.
	ImprintHash   crypto.Hash
	ImprintDigest []byte
	// Certificates are the certificates the token carries.
	Certificates []*x509.Certificate
	// Signer is the TSA certificate of the signer info that verified (or the
	// first one found); Chain is Signer followed by its issuers among
	// Certificates. Set by Verify.
	Signer *x509.Certificate
	Chain  []*x509.Certificate

	eContent    []byte
	signerInfos []signerInfo
	certsOK     bool
}

// SignerName returns the TSA signer's common name, as c2pa-rs puts it in
// explanations ("" when unknown).
func (t *TimeStamp) SignerName() string {
	if t.Signer == nil {
		return ""
	}
	return commonName(t.Signer)
}

func commonName(c *x509.Certificate) string {
	var s string
	for _, n := range c.Subject.Names {
		if n.Type.Equal(asn1.ObjectIdentifier{2, 5, 4, 3}) {
			if v, ok := n.Value.(string); ok {
				s += v
			}
		}
	}
	return s
}

func tsMalformed(format string, args ...any) error {
	return &FormatError{Offset: -1, What: fmt.Sprintf(format, args...), kind: ErrTimeStampMalformed}
}

// TokenFromResponse extracts the TimeStampToken from a DER TimeStampResp
// whose status is granted (0) or grantedWithMods (1).
func TokenFromResponse(resp []byte) ([]byte, error) {
	var r timeStampResp
	rest, err := asn1.Unmarshal(resp, &r)
	if err != nil || len(rest) != 0 {
		return nil, tsMalformed("not a TimeStampResp")
	}
	if r.Status.Status != 0 && r.Status.Status != 1 {
		return nil, tsMalformed("time-stamp status %d not granted", r.Status.Status)
	}
	if len(r.Token.FullBytes) == 0 {
		return nil, tsMalformed("granted response without a token")
	}
	return r.Token.FullBytes, nil
}

// ParseTimeStamp parses a TimeStampResp (sigTst) or a bare TimeStampToken
// (sigTst2), as c2pa-rs accepts either in both places. Errors wrap
// ErrTimeStampMalformed.
func ParseTimeStamp(b []byte) (*TimeStamp, error) {
	if len(b) > MaxTimeStampSize {
		return nil, tsMalformed("%d bytes exceed the limit", len(b))
	}
	token := b
	var r timeStampResp
	if rest, err := asn1.Unmarshal(b, &r); err == nil && len(rest) == 0 {
		if token, err = TokenFromResponse(b); err != nil {
			return nil, err
		}
	}
	var ci contentInfo
	if rest, err := asn1.Unmarshal(token, &ci); err != nil || len(rest) != 0 {
		return nil, tsMalformed("token is not a ContentInfo")
	}
	if !ci.ContentType.Equal(oidSignedData) {
		return nil, tsMalformed("token content type %v is not signedData", ci.ContentType)
	}
	var sd signedData
	if rest, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil || len(rest) != 0 {
		return nil, tsMalformed("signedData: %v", err)
	}
	t := &TimeStamp{Token: token, eContent: sd.EncapContentInfo.EContent}
	if !sd.EncapContentInfo.EContentType.Equal(oidTSTInfo) || sd.EncapContentInfo.EContent == nil {
		return nil, tsMalformed("no TSTInfo")
	}
	var info tstInfo
	if rest, err := asn1.Unmarshal(sd.EncapContentInfo.EContent, &info); err != nil || len(rest) != 0 {
		return nil, tsMalformed("TSTInfo: %v", err)
	}
	t.GenTime = info.GenTime.UTC()
	t.Time = t.GenTime
	t.Nonce = info.Nonce
	t.Accuracy = time.Duration(info.Accuracy.Seconds)*time.Second +
		time.Duration(info.Accuracy.Millis)*time.Millisecond +
		time.Duration(info.Accuracy.Micros)*time.Microsecond
	t.ImprintHash = digestOIDs[info.MessageImprint.HashAlgorithm.Algorithm.String()]
	t.ImprintDigest = info.MessageImprint.HashedMessage

	// certificates [0] IMPLICIT CertificateSet: keep those that parse; note
	// when one does not (c2pa-rs then calls the time-stamp untrusted).
	t.certsOK = len(sd.Certificates.Bytes) > 0
	for rest := sd.Certificates.Bytes; len(rest) > 0; {
		var raw asn1.RawValue
		var err error
		if rest, err = asn1.Unmarshal(rest, &raw); err != nil {
			t.certsOK = false
			break
		}
		c, err := ParseCertificate(raw.FullBytes)
		if err != nil {
			t.certsOK = false
			continue
		}
		t.Certificates = append(t.Certificates, c)
	}
	for rest := sd.SignerInfos.Bytes; len(rest) > 0; {
		var si signerInfo
		var err error
		if rest, err = asn1.Unmarshal(rest, &si); err != nil {
			return nil, tsMalformed("signer info: %v", err)
		}
		t.signerInfos = append(t.signerInfos, si)
	}
	if len(t.signerInfos) == 0 {
		return nil, tsMalformed("no signer info")
	}
	if t.Signer = t.findSigner(t.signerInfos[0]); t.Signer != nil {
		t.Chain = orderChain(t.Signer, t.Certificates)
	}
	return t, nil
}

// findSigner finds the certificate a signer info names by issuer+serial or
// subject key identifier.
func (t *TimeStamp) findSigner(si signerInfo) *x509.Certificate {
	for _, c := range t.Certificates {
		switch {
		case si.SID.Class == asn1.ClassUniversal:
			var ias issuerAndSerial
			if _, err := asn1.Unmarshal(si.SID.FullBytes, &ias); err == nil &&
				bytes.Equal(ias.Issuer.FullBytes, c.RawIssuer) && ias.Serial != nil && ias.Serial.Cmp(c.SerialNumber) == 0 {
				return c
			}
		case si.SID.Class == asn1.ClassContextSpecific && si.SID.Tag == 0:
			for _, e := range c.Extensions {
				if e.Id.Equal(oidSKI) && bytes.Equal(e.Value, appendOctetString(si.SID.Bytes)) {
					return c
				}
			}
		}
	}
	return nil
}

// appendOctetString DER-wraps b as an OCTET STRING, the form the SKI
// extension value takes.
func appendOctetString(b []byte) []byte {
	v, _ := asn1.Marshal(b)
	return v
}

// orderChain returns leaf then its issuers found among certs, following
// issuer/subject names.
func orderChain(leaf *x509.Certificate, certs []*x509.Certificate) []*x509.Certificate {
	chain := []*x509.Certificate{leaf}
	used := map[*x509.Certificate]bool{leaf: true}
	for cur := leaf; ; {
		if bytes.Equal(cur.RawIssuer, cur.RawSubject) {
			return chain
		}
		var next *x509.Certificate
		for _, c := range certs {
			if !used[c] && bytes.Equal(c.RawSubject, cur.RawIssuer) {
				next = c
				break
			}
		}
		if next == nil {
			return chain
		}
		used[next] = true
		chain = append(chain, next)
		cur = next
	}
}

// Verify checks the token against the data its imprint must cover, in
// c2pa-rs's order: signed messageDigest vs the TSTInfo (ErrTimeStampMismatch),
// the CMS signature (ErrTimeStampSignature), the TSA certificate's validity
// at Time ± accuracy (ErrTimeStampOutsideValidity), then the imprint
// (ErrTimeStampMismatch). Each signer info is tried; the first that passes
// wins and sets Signer, Chain and Time. ErrNoTimeStamp means no signer info
// names a certificate the token carries (c2pa-rs then reports nothing).
func (t *TimeStamp) Verify(data []byte) error {
	if !t.certsOK {
		return fmt.Errorf("%w: could not parse timestamp data", ErrTimeStampSignature)
	}
	// No signer info naming a carried certificate: c2pa-rs skips them all and
	// logs nothing, the time-stamp is just not used.
	var last error = fmt.Errorf("%w: no signer certificate among the token's certificates", ErrNoTimeStamp)
	for _, si := range t.signerInfos {
		signer := t.findSigner(si)
		if signer == nil {
			continue
		}
		when, err := t.verifySigner(si, signer, data)
		if err != nil {
			last = err
			continue
		}
		t.Signer, t.Chain, t.Time = signer, orderChain(signer, t.Certificates), when
		return nil
	}
	return last
}

func (t *TimeStamp) verifySigner(si signerInfo, signer *x509.Certificate, data []byte) (time.Time, error) {
	when := t.GenTime.Truncate(time.Second)
	h, ok := digestOIDs[si.DigestAlgorithm.Algorithm.String()]
	if !ok {
		return when, fmt.Errorf("%w: timestamp bad message digest algorithm", ErrTimeStampMalformed)
	}
	tbs := t.eContent
	if len(si.SignedAttrs.FullBytes) > 0 {
		var attrs []attribute
		if _, err := asn1.UnmarshalWithParams(si.SignedAttrs.FullBytes, &attrs, "set,tag:0"); err != nil {
			return when, fmt.Errorf("%w: timestamp signer attributes malformed", ErrTimeStampMalformed)
		}
		var md []byte
		for _, a := range attrs {
			switch {
			case a.Type.Equal(oidSigningTime):
				if st, ok := signingTime(a.Values.Bytes); ok {
					when = st.Truncate(time.Second)
				}
			case a.Type.Equal(oidMessageDigest):
				var v []byte
				if rest, err := asn1.Unmarshal(a.Values.Bytes, &v); err != nil || len(rest) != 0 {
					return when, fmt.Errorf("%w: timestamp could not decode signed message data", ErrTimeStampMalformed)
				}
				md = v
			}
		}
		if md == nil {
			return when, fmt.Errorf("%w: timestamp no message digest", ErrTimeStampMalformed)
		}
		if !bytes.Equal(md, digest(h, t.eContent)) {
			return when, fmt.Errorf("%w: timestamp bad message digest", ErrTimeStampMismatch)
		}
		tbs = signedAttrsDER(si.SignedAttrs.Bytes)
	}
	if err := verifyCMS(signer, si, h, tbs); err != nil {
		return when, fmt.Errorf("%w: timestamp signed data did not match signature", ErrTimeStampSignature)
	}
	margin := t.Accuracy
	if margin%time.Second != 0 {
		margin = margin.Truncate(time.Second) + time.Second
	}
	if when.Before(signer.NotBefore.Add(-margin)) || when.After(signer.NotAfter.Add(margin)) {
		return when, fmt.Errorf("%w: timestamp signer outside of certificate validity", ErrTimeStampOutsideValidity)
	}
	if t.ImprintHash == 0 {
		return when, fmt.Errorf("%w: timestamp unknown message digest algorithm", ErrTimeStampSignature)
	}
	if !bytes.Equal(digest(t.ImprintHash, data), t.ImprintDigest) {
		return when, fmt.Errorf("%w: timestamp message digest did not match: %s", ErrTimeStampMismatch, commonName(signer))
	}
	return when, nil
}

// signedAttrsDER re-encodes the signed attributes as the DER SET OF the
// signature covers: elements sorted by their encodings. c2pa-rs re-encodes
// the same way, so a token whose attributes were written unsorted (c2pa-ts's
// test TSA) still verifies.
func signedAttrsDER(content []byte) []byte {
	var elems [][]byte
	for rest := content; len(rest) > 0; {
		var raw asn1.RawValue
		var err error
		if rest, err = asn1.Unmarshal(rest, &raw); err != nil {
			break
		}
		elems = append(elems, raw.FullBytes)
	}
	slices.SortFunc(elems, bytes.Compare)
	body := bytes.Join(elems, nil)
	out, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: body})
	if err != nil {
		return nil
	}
	return out
}

// signingTime decodes the single value of a signingTime attribute.
func signingTime(values []byte) (time.Time, bool) {
	var v asn1.RawValue
	rest, err := asn1.Unmarshal(values, &v)
	if err != nil || len(rest) != 0 {
		return time.Time{}, false
	}
	var t time.Time
	switch v.Tag {
	case asn1.TagUTCTime:
		_, err = asn1.UnmarshalWithParams(v.FullBytes, &t, "utc")
	case asn1.TagGeneralizedTime:
		_, err = asn1.UnmarshalWithParams(v.FullBytes, &t, "generalized")
	default:
		return time.Time{}, false
	}
	return t.UTC(), err == nil
}

var oidPSS = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}

// verifyCMS checks a signer info's signature with the signer's key.
func verifyCMS(signer *x509.Certificate, si signerInfo, h crypto.Hash, tbs []byte) error {
	pub, err := PublicKey(signer)
	if err != nil {
		return err
	}
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if si.SignatureAlgorithm.Algorithm.Equal(oidPSS) {
			return rsa.VerifyPSS(k, h, digest(h, tbs), si.Signature, nil)
		}
		return rsa.VerifyPKCS1v15(k, h, digest(h, tbs), si.Signature)
	case *ecdsa.PublicKey:
		if ecdsa.VerifyASN1(k, digest(h, tbs), si.Signature) {
			return nil
		}
		// Some TSAs (c2pa-ts's test signer) write raw r‖s; c2pa-rs accepts it.
		if size := (k.Curve.Params().BitSize + 7) / 8; len(si.Signature) == 2*size {
			r := new(big.Int).SetBytes(si.Signature[:size])
			s := new(big.Int).SetBytes(si.Signature[size:])
			if ecdsa.Verify(k, digest(h, tbs), r, s) {
				return nil
			}
		}
		return errors.New("ECDSA verification failed")
	case ed25519.PublicKey:
		if !ed25519.Verify(k, tbs, si.Signature) {
			return errors.New("Ed25519 verification failed")
		}
		return nil
	}
	return fmt.Errorf("unsupported TSA key %T", pub)
}

// CounterSignatureData returns the bytes a time-stamp of this signature must
// cover: the CounterSignature Sig_structure over the protected header with
// payload = claim (version 1, sigTst) or the CBOR-encoded signature bstr
// (version 2, sigTst2) [C2PA §10.3.2.5].
func (s *Sign1) CounterSignatureData(version int, claim []byte) []byte {
	if version == 1 {
		return sigStructure("CounterSignature", s.ProtectedRaw, claim)
	}
	return sigStructure("CounterSignature", s.ProtectedRaw, appendBytes(nil, s.Signature))
}
