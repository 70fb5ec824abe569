package trust

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"strings"
	"time"

	"provgraph/c2pa/cose"
	"provgraph/c2pa/status"
)

// Well-known OIDs.
var (
	OIDEmailProtection  = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 4}
	OIDDocumentSigning  = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 36}
	OIDTimeStamping     = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 8}
	OIDOCSPSigning      = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 9}
	OIDMicrosoftC2PA    = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 311, 76, 59, 1, 9}
	OIDC2PAClaimSigning = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 62558, 2, 1}
	oidAnyExtKeyUsage   = asn1.ObjectIdentifier{2, 5, 29, 37, 0}
	oidServerAuth       = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 1}
	oidClientAuth       = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 2}
	oidCodeSigning      = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 3}
	oidExtKeyUsage      = asn1.ObjectIdentifier{2, 5, 29, 37}
	oidKeyUsage         = asn1.ObjectIdentifier{2, 5, 29, 15}
	oidAuthorityKeyID   = asn1.ObjectIdentifier{2, 5, 29, 35}
	oidSubjectKeyID     = asn1.ObjectIdentifier{2, 5, 29, 14}
	oidECPublicKey      = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidRSA              = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidRSAPSS           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}
	oidEd25519          = asn1.ObjectIdentifier{1, 3, 101, 112}
	allowedCertSigAlgs  = []string{"1.2.840.113549.1.1.11", "1.2.840.113549.1.1.12", "1.2.840.113549.1.1.13", "1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3", "1.2.840.10045.4.3.4", "1.2.840.113549.1.1.10", "1.3.101.112"}
	allowedHashes       = []string{"2.16.840.1.101.3.4.2.1", "2.16.840.1.101.3.4.2.2", "2.16.840.1.101.3.4.2.3"}
	allowedCurves       = []string{"1.2.840.10045.3.1.7", "1.3.132.0.34", "1.3.132.0.35"}
	handledCriticalExts = []string{"2.5.29.35", "2.5.29.14", "2.5.29.15", "2.5.29.32", "2.5.29.33", "2.5.29.17", "2.5.29.19", "2.5.29.30", "2.5.29.36", "2.5.29.37", "2.5.29.31", "2.5.29.54", "1.3.6.1.5.5.7.1.1", "2.16.840.1.113730.1.1", "2.5.29.20", "2.5.29.21", "2.5.29.24"}
)

// DefaultEKUConfig is c2pa-rs's valid_eku_oids.cfg, the EKU list an operator
// usually adds (the CAI interim store.cfg has the same six OIDs).
const DefaultEKUConfig = `// id-kp-emailProtection
1.3.6.1.5.5.7.3.4
// id-kp-documentSigning
1.3.6.1.5.5.7.3.36
// id-kp-timeStamping
1.3.6.1.5.5.7.3.8
// id-kp-OCSPSigning
1.3.6.1.5.5.7.3.9
// MS C2PA Signing
1.3.6.1.4.1.311.76.59.1.9
// C2PA claim signing
1.3.6.1.4.1.62558.2.1
`

// ParseEKUConfig reads a c2pa-rs trust_config file (store.cfg): every line
// that is a dotted OID counts, anything else (comments) is skipped.
func ParseEKUConfig(cfg []byte) []asn1.ObjectIdentifier {
	var out []asn1.ObjectIdentifier
	for _, line := range strings.Split(string(cfg), "\n") {
		if oid, ok := parseOID(strings.TrimRight(line, "\r")); ok {
			out = append(out, oid)
		}
	}
	return out
}

func parseOID(s string) (asn1.ObjectIdentifier, bool) {
	parts := strings.Split(s, ".")
	if len(parts) < 2 {
		return nil, false
	}
	oid := make(asn1.ObjectIdentifier, len(parts))
	for i, p := range parts {
		if p == "" || len(p) > 9 {
			return nil, false
		}
		n := 0
		for _, c := range p {
			if c < '0' || c > '9' {
				return nil, false
			}
			n = n*10 + int(c-'0')
		}
		oid[i] = n
	}
	return oid, true
}

func containsOID(list []string, oid asn1.ObjectIdentifier) bool {
	s := oid.String()
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ekuSet is the EKU extension as c2pa-rs (x509-parser) sees it.
type ekuSet struct {
	present                                    bool
	any, server, client, code, email, ts, ocsp bool
	other                                      []asn1.ObjectIdentifier
}

func readEKUs(c *x509.Certificate) (ekuSet, bool) {
	var s ekuSet
	for _, e := range c.Extensions {
		if !e.Id.Equal(oidExtKeyUsage) {
			continue
		}
		var oids []asn1.ObjectIdentifier
		if rest, err := asn1.Unmarshal(e.Value, &oids); err != nil || len(rest) != 0 {
			return s, false
		}
		s.present = true
		for _, o := range oids {
			switch {
			case o.Equal(oidAnyExtKeyUsage):
				s.any = true
			case o.Equal(oidServerAuth):
				s.server = true
			case o.Equal(oidClientAuth):
				s.client = true
			case o.Equal(oidCodeSigning):
				s.code = true
			case o.Equal(OIDEmailProtection):
				s.email = true
			case o.Equal(OIDTimeStamping):
				s.ts = true
			case o.Equal(OIDOCSPSigning):
				s.ocsp = true
			default:
				s.other = append(s.other, o)
			}
		}
	}
	return s, true
}

// allowedEKU is c2pa-rs has_allowed_eku: emailProtection, timeStamping and
// OCSPSigning always pass; other OIDs only when configured.
func allowedEKU(s ekuSet, extra []asn1.ObjectIdentifier) bool {
	if s.email || s.ts || s.ocsp {
		return true
	}
	for _, o := range s.other {
		for _, x := range extra {
			if o.Equal(x) {
				return true
			}
		}
	}
	return false
}

func hasExtension(c *x509.Certificate, oid asn1.ObjectIdentifier) bool {
	for _, e := range c.Extensions {
		if e.Id.Equal(oid) {
			return true
		}
	}
	return false
}

// certificate is the outer Certificate structure, for the raw
// signatureAlgorithm and unique IDs that crypto/x509 does not expose.
type certificate struct {
	TBS       tbsCertificate
	SigAlg    pkix.AlgorithmIdentifier
	Signature asn1.BitString
}

type tbsCertificate struct {
	Version         int `asn1:"optional,explicit,default:0,tag:0"`
	Serial          asn1.RawValue
	SigAlg          pkix.AlgorithmIdentifier
	Issuer          asn1.RawValue
	Validity        asn1.RawValue
	Subject         asn1.RawValue
	PublicKey       publicKeyInfo
	IssuerUniqueID  asn1.BitString `asn1:"optional,tag:1"`
	SubjectUniqueID asn1.BitString `asn1:"optional,tag:2"`
	Extensions      asn1.RawValue  `asn1:"optional,explicit,tag:3"`
}

type publicKeyInfo struct {
	Algorithm pkix.AlgorithmIdentifier
	PublicKey asn1.BitString
}

type pssParams struct {
	Hash pkix.AlgorithmIdentifier `asn1:"explicit,tag:0"`
	MGF  pkix.AlgorithmIdentifier `asn1:"explicit,tag:1"`
}

// ProfileOptions tunes CheckProfile.
type ProfileOptions struct {
	// At is the time the certificate must be valid at: the verified
	// time-stamp's time when there is one, else now (C2PA-NOTES §7.7).
	At time.Time
	// ExtraEKUs are accepted besides emailProtection, timeStamping and
	// OCSPSigning (c2pa-rs trust_config).
	ExtraEKUs []asn1.ObjectIdentifier
	// EndEntity additionally requires a non-CA certificate (the claim
	// signer and TSA leaf checks).
	EndEntity bool
}

// CheckProfile applies c2pa-rs's certificate profile
// (check_certificate_profile, plus the end-entity rule) in its order and
// returns the first violation as a *ProfileError, or nil.
func CheckProfile(c *x509.Certificate, opts ProfileOptions) *ProfileError {
	var raw certificate
	if rest, err := asn1.Unmarshal(c.Raw, &raw); err != nil || len(rest) != 0 {
		return invalid("certificate could not be parsed")
	}
	if c.Version != 3 {
		return invalid("certificate version incorrect")
	}
	at := opts.At
	if at.IsZero() {
		at = time.Now()
	}
	at = at.Truncate(time.Second)
	if at.Before(c.NotBefore) || at.After(c.NotAfter) {
		return &ProfileError{Code: status.SigningCredentialExpired, Explanation: "certificate expired"}
	}
	if !containsOID(allowedCertSigAlgs, raw.SigAlg.Algorithm) {
		return invalid("certificate algorithm not supported")
	}
	// RFC 8410 §3: Ed25519 algorithm identifiers carry no parameters.
	if raw.SigAlg.Algorithm.Equal(oidEd25519) && len(raw.SigAlg.Parameters.FullBytes) > 0 {
		return invalid("certificate Ed25519 signature algorithm parameters must be absent")
	}
	if raw.SigAlg.Algorithm.Equal(oidRSAPSS) {
		if len(raw.SigAlg.Parameters.FullBytes) == 0 {
			return invalid("certificate missing algorithm parameters")
		}
		var p pssParams
		if _, err := asn1.Unmarshal(raw.SigAlg.Parameters.FullBytes, &p); err != nil {
			return invalid("certificate could not be parsed")
		}
		var mgfHash pkix.AlgorithmIdentifier
		if _, err := asn1.Unmarshal(p.MGF.Parameters.FullBytes, &mgfHash); err != nil {
			return invalid("certificate could not be parsed")
		}
		if !p.Hash.Algorithm.Equal(mgfHash.Algorithm) {
			return invalid("certificate algorithm error")
		}
		if !containsOID(allowedHashes, p.Hash.Algorithm) {
			return invalid("certificate hash algorithm not supported")
		}
	}
	spki := raw.TBS.PublicKey.Algorithm
	if spki.Algorithm.Equal(oidECPublicKey) {
		var curve asn1.ObjectIdentifier
		if _, err := asn1.Unmarshal(spki.Parameters.FullBytes, &curve); err != nil {
			return invalid("certificate could not be parsed")
		}
		if !containsOID(allowedCurves, curve) {
			return invalid("certificate unsupported EC curve")
		}
	}
	if spki.Algorithm.Equal(oidEd25519) && len(spki.Parameters.FullBytes) > 0 {
		return invalid("certificate Ed25519 public key parameters must be absent")
	}
	if spki.Algorithm.Equal(oidRSA) || spki.Algorithm.Equal(oidRSAPSS) {
		pub, err := cose.PublicKey(c)
		k, ok := pub.(*rsa.PublicKey)
		if err != nil || !ok {
			return invalid("certificate could not be parsed")
		}
		if k.N.BitLen() < 2048 {
			return invalid("certificate key length too short")
		}
		if k.E < 3 || k.E%2 == 0 {
			return invalid("certificate RSA public exponent is invalid")
		}
	}
	isCA := c.BasicConstraintsValid && c.IsCA
	if isCA && bytes.Equal(c.RawIssuer, c.RawSubject) {
		return invalid("certificate issuer and subject cannot be the same (self-signed disallowed)")
	}
	if raw.TBS.IssuerUniqueID.BitLength > 0 || len(raw.TBS.IssuerUniqueID.Bytes) > 0 ||
		raw.TBS.SubjectUniqueID.BitLength > 0 || len(raw.TBS.SubjectUniqueID.Bytes) > 0 {
		return invalid("certificate issuer/subject unique ids are not allowed")
	}
	ekus, ok := readEKUs(c)
	if !ok {
		return invalid("certificate could not be parsed")
	}
	ekuGood := isCA
	if ekus.present {
		if ekus.any {
			return invalid("certificate 'any' EKU not allowed")
		}
		if !allowedEKU(ekus, opts.ExtraEKUs) {
			return invalid("certificate missing required EKU")
		}
		if (ekus.ocsp && ekus.ts) || ((ekus.ocsp != ekus.ts) &&
			(ekus.client || ekus.code || ekus.email || ekus.server || len(ekus.other) > 0)) {
			return invalid("certificate invalid set of EKUs")
		}
		ekuGood = true
	}
	kuGood := false
	if hasExtension(c, oidKeyUsage) {
		if c.KeyUsage&x509.KeyUsageDigitalSignature != 0 {
			if c.KeyUsage&x509.KeyUsageCertSign != 0 && !isCA {
				return invalid("certificate missing digitalSignature EKU")
			}
			kuGood = true
		}
		if c.KeyUsage&(x509.KeyUsageCertSign|x509.KeyUsageContentCommitment) != 0 {
			kuGood = true
		}
	}
	criticalOK := true
	for _, e := range c.Extensions {
		if e.Critical && !containsOID(handledCriticalExts, e.Id) {
			criticalOK = false
		}
	}
	akiGood := hasExtension(c, oidAuthorityKeyID)
	skiGood := !isCA || hasExtension(c, oidSubjectKeyID)
	if !(akiGood && skiGood && kuGood && ekuGood && criticalOK) {
		return invalid("certificate params incorrect")
	}
	if opts.EndEntity && isCA {
		return invalid("expected end-entity certificate")
	}
	return nil
}
