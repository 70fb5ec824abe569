package c2pa

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/fxamacker/cbor/v2"

	"provgraph/c2pa/cose"
	"provgraph/c2pa/status"
	"provgraph/c2pa/trust"
)

// CAWG identity assertion (cawg.identity) validation, as c2pa-rs runs it on
// the active manifest after the C2PA checks: padding, the signer payload
// against the claim, then the signature by sig_type — X.509 COSE (statuses
// of the C2PA credential checks renamed cawg.x509.*) or an identity claims
// aggregation credential signed by a did:jwk issuer.

// CAWG signature types.
const (
	CAWGSigTypeX509 = "cawg.x509.cose"
	CAWGSigTypeICA  = "cawg.identity_claims_aggregation"
)

// identityAssertion is the CBOR of cawg.identity.
type identityAssertion struct {
	SignerPayload cbor.RawMessage `cbor:"signer_payload"`
	Signature     []byte          `cbor:"signature"`
	Pad1          []byte          `cbor:"pad1"`
	Pad2          []byte          `cbor:"pad2,omitempty"`
}

type signerPayload struct {
	ReferencedAssertions []HashedURI `cbor:"referenced_assertions"`
	SigType              string      `cbor:"sig_type"`
	Roles                []string    `cbor:"role,omitempty"`
}

// x509CodeMap renames the statuses of the credential checks for X.509
// identity signatures (c2pa-rs X509StatusRemapGuard); other codes those
// checks log are dropped here, as c2pa-rs's COSE verifier does not log them.
var x509CodeMap = map[status.Code]status.Code{
	status.AlgorithmUnsupported:       status.CAWGX509AlgorithmUnsupported,
	status.SigningCredentialTrusted:   status.CAWGX509CredentialTrusted,
	status.SigningCredentialUntrusted: status.CAWGX509CredentialUntrusted,
	status.SigningCredentialInvalid:   status.CAWGX509CredentialInvalid,
	status.SigningCredentialExpired:   status.CAWGX509SignatureOutsideValidity,
	status.ClaimSignatureMismatch:     status.CAWGX509SignatureMismatch,
}

func isIdentityLabel(base string) bool { return base == "cawg.identity" }

// checkIdentityAssertions validates every cawg.identity assertion of m.
func (v *validator) checkIdentityAssertions(m *Manifest) {
	if v.opts.noCrypto {
		return
	}
	for _, a := range m.Assertions {
		if isIdentityLabel(a.BaseLabel()) && a.Kind == KindCBOR {
			v.checkIdentity(m, a, m.AssertionURI(a.Label))
		}
	}
}

func (v *validator) checkIdentity(m *Manifest, a *Assertion, uri string) {
	var ia identityAssertion
	var sp signerPayload
	if claimDecMode.Unmarshal(a.Data, &ia) != nil || claimDecMode.Unmarshal(ia.SignerPayload, &sp) != nil {
		v.log.Failure(status.CAWGIdentityCBORInvalid, uri, "invalid CBOR")
		return
	}
	if !allZero(ia.Pad1) || !allZero(ia.Pad2) {
		v.log.Failure(status.CAWGIdentityPadInvalid, uri, "invalid value in pad fields")
		return
	}
	refs := m.Claim.Assertions()
	for _, ra := range sp.ReferencedAssertions {
		found := false
		for _, r := range refs {
			if r.URL == ra.URL || strings.TrimPrefix(absoluteURI(r.URL, m.Label), "self#jumbf=/c2pa/"+m.Label+"/") == strings.TrimPrefix(ra.URL, "self#jumbf=") {
				found = bytes.Equal(r.Hash, ra.Hash)
				break
			}
		}
		if !found {
			v.log.Failure(status.CAWGIdentityAssertionMismatch, uri, "referenced assertion not in claim")
			return
		}
	}
	hasBinding := false
	seen := map[string]bool{}
	for _, ra := range sp.ReferencedAssertions {
		if i := strings.LastIndexByte(ra.URL, '/'); i >= 0 && strings.HasPrefix(ra.URL[i+1:], "c2pa.hash.") {
			hasBinding = true
		}
	}
	if !hasBinding {
		v.log.Failure(status.CAWGIdentityHardBindingMissing, uri, "no hard binding assertion")
		return
	}
	for _, ra := range sp.ReferencedAssertions {
		if seen[ra.URL] {
			v.log.Failure(status.CAWGIdentityAssertionDuplicate, uri, "multiple references to same assertion")
			return
		}
		seen[ra.URL] = true
	}
	switch sp.SigType {
	case CAWGSigTypeX509:
		v.checkX509Identity(ia, uri)
	case CAWGSigTypeICA:
		v.checkICAIdentity(ia, uri)
	default:
		v.log.Failure(status.CAWGIdentitySigTypeUnknown, uri, "unsupported signature type")
	}
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

func (v *validator) checkX509Identity(ia identityAssertion, uri string) {
	store := v.opts.CAWGTrust
	if store == nil {
		store = trust.NewStore(nil)
	}
	res := store.VerifyClaimSignature(ia.Signature, ia.SignerPayload, trust.VerifyOptions{URL: uri, ClaimVersion: 2, Now: v.opts.Time, SkipOCSP: true})
	for _, e := range res.Entries {
		if c, ok := x509CodeMap[e.Code]; ok {
			e.Code = c
			v.log.Add(e)
		} else if strings.HasPrefix(string(e.Code), "timeStamp.") {
			v.log.Add(e)
		}
	}
	if res.Validated {
		v.log.Success(status.CAWGX509SignatureValidated, uri, "X.509 identity assertion signature validated")
		v.log.Success(status.CAWGIdentityWellFormed, uri, "CAWG X.509 identity signature valid")
	}
}

// icaCredential is the part of an identity claims aggregation credential
// the checks need.
type icaCredential struct {
	Issuer string `json:"issuer"`
}

func (v *validator) checkICAIdentity(ia identityAssertion, uri string) {
	s1, err := cose.Parse(ia.Signature)
	if err != nil {
		v.log.Failure(status.CAWGICAInvalidCOSESign1, uri, "Invalid COSE_Sign1")
		return
	}
	alg, err := s1.Algorithm()
	if err != nil || alg != cose.EdDSA {
		v.log.Failure(status.CAWGICAInvalidAlg, uri, "Invalid or unsupported signing algorithm")
		return
	}
	if s1.Payload == nil {
		v.log.Failure(status.CAWGICAInvalidVerifiableCredential, uri, "Missing COSE_Sign1 payload")
		return
	}
	var vc icaCredential
	if json.Unmarshal(s1.Payload, &vc) != nil {
		v.log.Failure(status.CAWGICAInvalidVerifiableCredential, uri, "Invalid JSON-LD for verifiable credential")
		return
	}
	pub, ok := didJWKKey(vc.Issuer)
	if !ok {
		v.log.Failure(status.CAWGICAInvalidIssuer, uri, "Invalid issuer DID")
		return
	}
	if cose.VerifySignature(cose.EdDSA, pub, s1.ToBeSigned(s1.Payload), s1.Signature) != nil {
		v.log.Failure(status.CAWGICASignatureMismatch, uri, "Signature does not match credential")
		return
	}
	issuer := vc.Issuer
	if i := strings.IndexByte(issuer, '#'); i >= 0 {
		issuer = issuer[:i]
	}
	for _, t := range v.opts.TrustedICAIssuers {
		if t == issuer {
			v.log.Success(status.CAWGICACredentialValid, uri, "ICA credential is valid")
			return
		}
	}
	v.log.Informational(status.CAWGICAUntrustedIssuer, uri, "ICA issuer is not a trusted issuer")
}

// didJWKKey decodes the Ed25519 key of a did:jwk issuer.
func didJWKKey(did string) (ed25519.PublicKey, bool) {
	if i := strings.IndexByte(did, '#'); i >= 0 {
		did = did[:i]
	}
	enc, ok := strings.CutPrefix(did, "did:jwk:")
	if !ok {
		return nil, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(enc, "="))
	if err != nil {
		return nil, false
	}
	var jwk struct {
		Kty string `json:"kty"`
		Crv string `json:"crv"`
		X   string `json:"x"`
	}
	if json.Unmarshal(raw, &jwk) != nil || jwk.Kty != "OKP" || jwk.Crv != "Ed25519" {
		return nil, false
	}
	x, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(jwk.X, "="))
	if err != nil || len(x) != ed25519.PublicKeySize {
		return nil, false
	}
	return ed25519.PublicKey(x), true
}

// identityReportData is what c2pa-rs reports as a cawg.identity
// assertion's data: the signer payload and signer of an X.509 identity, the
// credential of an identity claims aggregation; nil to keep the stored data.
func identityReportData(a *Assertion) any {
	var ia identityAssertion
	var sp signerPayload
	if claimDecMode.Unmarshal(a.Data, &ia) != nil || claimDecMode.Unmarshal(ia.SignerPayload, &sp) != nil {
		return nil
	}
	switch sp.SigType {
	case CAWGSigTypeX509:
		spv, err := cborToValue(ia.SignerPayload)
		if err != nil {
			return nil
		}
		s1, err := cose.Parse(ia.Signature)
		if err != nil {
			return nil
		}
		alg, err1 := s1.Algorithm()
		certs, err2 := s1.Certificates()
		if err1 != nil || err2 != nil || len(certs) == 0 {
			return nil
		}
		si := signatureInfo(alg, certs[0])
		info := &Object{}
		info.Set("alg", si.Alg)
		info.Set("issuer", si.Issuer)
		info.Set("common_name", si.CommonName)
		info.Set("cert_serial_number", si.CertSerialNumber)
		info.Set("revocation_status", true)
		out := &Object{}
		out.Set("signer_payload", spv)
		out.Set("signature_info", info)
		return out
	case CAWGSigTypeICA:
		s1, err := cose.Parse(ia.Signature)
		if err != nil || s1.Payload == nil {
			return nil
		}
		v, err := jsonToValue(s1.Payload)
		if err != nil {
			return nil
		}
		return flattenSubject(v)
	}
	return nil
}

// flattenSubject lifts the (first) credentialSubject's members to the top of
// the credential, as c2pa-rs's report shows an aggregation credential.
func flattenSubject(v any) any {
	o, ok := v.(*Object)
	if !ok {
		return v
	}
	subj, ok := o.Get("credentialSubject")
	if arr, isArr := subj.([]any); isArr && len(arr) > 0 {
		subj = arr[0]
	}
	so, isObj := subj.(*Object)
	if !ok || !isObj {
		return v
	}
	out := &Object{}
	for i, k := range o.keys {
		if k != "credentialSubject" {
			out.Set(k, o.vals[i])
			continue
		}
		for j, sk := range so.keys {
			out.Set(sk, so.vals[j])
		}
	}
	decodeAssetHashes(out)
	return out
}

// decodeAssetHashes turns c2paAsset.referenced_assertions[*].hash, stored as
// the bytes of a base64 text, into the hash itself (as c2pa-rs decodes it).
func decodeAssetHashes(o *Object) {
	asset, _ := o.Get("c2paAsset")
	ao, ok := asset.(*Object)
	if !ok {
		return
	}
	refs, _ := ao.Get("referenced_assertions")
	list, _ := refs.([]any)
	for _, r := range list {
		ro, ok := r.(*Object)
		if !ok {
			continue
		}
		h, _ := ro.Get("hash")
		text, ok := numberBytes(h)
		if !ok {
			continue
		}
		raw, err := base64.StdEncoding.DecodeString(string(text))
		if err != nil {
			raw = []byte("invalid base64")
		}
		ro.Set("hash", base64.StdEncoding.EncodeToString(raw))
	}
}
