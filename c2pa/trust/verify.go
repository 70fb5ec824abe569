package trust

import (
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"strings"
	"time"

	"provgraph/c2pa/cose"
	"provgraph/c2pa/status"
)

// Explanations c2pa-rs 0.91 writes for the signature statuses.
const (
	ExplainSignatureValid    = "claim signature valid"
	ExplainSignatureInvalid  = "claim signature is not valid"
	ExplainSignatureParse    = "could not parse signature"
	ExplainUntrusted         = "signing certificate untrusted"
	ExplainOCSPSkipped       = "OCSP fetching skipped"
	ExplainAlgUnsupported    = "unsupported or missing Cose algorithm"
	ExplainDERSignature      = "unsupported signature format (EC signature should be in P1363 r|s format)"
	ExplainSingleTimeStamp   = "only a single timestamp response is allowed in a manifest"
	ExplainTimeStampNotParse = "could not parse timestamp data"
)

// VerifyOptions configures VerifyClaimSignature.
type VerifyOptions struct {
	// URL is the status url, normally
	// "self#jumbf=/c2pa/<manifest label>/c2pa.signature".
	URL string
	// ClaimVersion is the claim's version; for version 1 claims c2pa-rs does
	// not check time-stamp trust ("legacy timestamp cert trusted").
	ClaimVersion int
	// Now is the validation time when no trusted time-stamp applies; zero
	// means time.Now().
	Now time.Time
	// SkipTrust checks the certificate profile but emits no
	// signingCredential.trusted/untrusted (c2pa-rs verify_trust = false).
	SkipTrust bool
	// SkipTimeStampTrust treats every validated time-stamp as trusted
	// (c2pa-rs verify_timestamp_trust = false).
	SkipTimeStampTrust bool
	// SkipOCSP emits nothing about revocation (no ocsp.skipped either).
	SkipOCSP bool
	// TimeStampAssertionToken is this manifest's token from a
	// c2pa.time-stamp assertion, if any. c2pa-rs verifies it silently
	// (imprint over the raw COSE signature field; TSA trust only for
	// claims of version 2+) and, when it holds, uses it instead of the
	// header time-stamp, which is then not examined and logs nothing.
	TimeStampAssertionToken []byte
	// OCSPResponses are DER OCSP responses for the signer from a
	// c2pa.certificate-status assertion; c2pa-rs consults them when the
	// signature staples none (rVals).
	OCSPResponses [][]byte
}

// SignatureResult is the outcome of VerifyClaimSignature.
type SignatureResult struct {
	// Entries are the statuses in the order c2pa-rs logs them: OCSP,
	// time-stamp, trust, certificate profile, signature.
	Entries []status.Entry
	// Sign1 is the parsed signature (nil if it did not parse).
	Sign1 *cose.Sign1
	// Algorithm is the signature algorithm (0 if unsupported).
	Algorithm cose.Algorithm
	// Chain is the x5chain, leaf first.
	Chain []*x509.Certificate
	// TimeStamp is the validated time-stamp, or nil; TimeStampTrusted says
	// whether it was also trusted (or trust was not checked) and so served
	// as the signing time.
	TimeStamp        *cose.TimeStamp
	TimeStampTrusted bool
	// SigningTime is the time the certificate was checked at: the trusted
	// time-stamp's time, else VerifyOptions.Now.
	SigningTime time.Time
	// Anchor is where the signer chain was anchored (nil when untrusted or
	// trust was skipped); Anchor.Source.Legacy flags the CAI interim list.
	Anchor *Anchor
	// Validated reports that the signature verified over the claim.
	Validated bool
	// Err is set when c2pa-rs stops validating this claim with an error
	// instead of statuses alone: unparseable COSE (cose.ErrMalformed), no
	// signing certificate (cose.ErrMissingCertificate, ErrMultipleChains,
	// ErrBadCertificate) or an unsupported algorithm
	// (cose.ErrUnsupportedAlgorithm, c2pa-rs UnknownAlgorithm).
	Err error
}

// Has reports whether an entry with code was produced.
func (r *SignatureResult) Has(code status.Code) bool {
	for _, e := range r.Entries {
		if e.Code == code {
			return true
		}
	}
	return false
}

func (r *SignatureResult) add(kind status.Kind, code status.Code, url, explanation string) {
	r.Entries = append(r.Entries, status.Entry{Code: code, URL: url, Explanation: explanation, Kind: kind})
}

// VerifyClaimSignature validates a claim signature (the COSE_Sign1 bytes of
// a c2pa.signature box) over the claim bytes as c2pa-rs 0.91 does and
// returns its status entries:
//
//   - revocation: signingCredential.ocsp.notRevoked/revoked from stapled
//     rVals, or informational signingCredential.ocsp.skipped without them;
//   - time-stamp (sigTst2/sigTst, first in header order): timeStamp.validated
//     then timeStamp.trusted, or informational timeStamp.{mismatch,
//     malformed,untrusted,outsideValidity}; an untrusted time-stamp is not
//     used as the signing time;
//   - trust: signingCredential.trusted or .untrusted (chain at the signing
//     time, anchors pooled);
//   - profile: signingCredential.invalid or .expired (leaf valid at the
//     trusted time-stamp's time, else now);
//   - signature: claimSignature.insideValidity + claimSignature.validated,
//     or claimSignature.mismatch.
func (s *Store) VerifyClaimSignature(coseBytes, claim []byte, opts VerifyOptions) *SignatureResult {
	r := &SignatureResult{}
	url := opts.URL
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	sig, err := cose.Parse(coseBytes)
	if err != nil {
		r.add(status.Failure, status.ClaimSignatureMismatch, url, ExplainSignatureParse)
		r.Err = err
		return r
	}
	r.Sign1 = sig
	ders, err := sig.CertificateChain()
	if err != nil {
		r.Err = err
		return r
	}
	// Only the leaf must parse: c2pa-rs reads the rest only while building
	// the chain, where a bad certificate just makes the signer untrusted.
	chainBroken := false
	for i, d := range ders {
		c, err := cose.ParseCertificate(d)
		if err != nil {
			if i == 0 {
				r.Err = fmt.Errorf("%w: %v", cose.ErrBadCertificate, err)
				return r
			}
			chainBroken = true
			break
		}
		r.Chain = append(r.Chain, c)
	}
	chain := r.Chain

	if !s.assertionTimeStamp(r, sig, opts) {
		s.checkTimeStamp(r, sig, claim, opts)
	}
	r.SigningTime = now
	if r.TimeStamp != nil && r.TimeStampTrusted {
		r.SigningTime = r.TimeStamp.Time
	}
	if !opts.SkipOCSP {
		// c2pa-rs checks revocation first, with the time-stamp's time when
		// its TSA is trusted (whatever the claim version).
		var ocspTime time.Time
		if r.TimeStamp != nil && s.tsaTrusted(r.TimeStamp) {
			ocspTime = r.TimeStamp.Time
		}
		r.Entries = append(s.checkOCSP(r, sig, opts.OCSPResponses, url, now, ocspTime), r.Entries...)
	}

	alg, err := sig.Algorithm()
	if err != nil {
		r.add(status.Failure, status.AlgorithmUnsupported, url, ExplainAlgUnsupported)
		r.add(status.Failure, status.ClaimSignatureMismatch, url, ExplainSignatureInvalid)
		r.Err = err
		return r
	}
	r.Algorithm = alg
	if (alg == cose.ES256 || alg == cose.ES384 || alg == cose.ES512) && errors.Is(sig.Verify(claim), cose.ErrDERSignature) {
		r.add(status.Failure, status.SigningCredentialInvalid, url, ExplainDERSignature)
		r.add(status.Failure, status.ClaimSignatureMismatch, url, ExplainSignatureInvalid)
		return r
	}

	if !opts.SkipTrust {
		if a, err := s.forPurpose(false, s.ekus).TrustChain(chain, r.SigningTime); err == nil && !chainBroken {
			r.Anchor = a
			r.add(status.Success, status.SigningCredentialTrusted, url,
				fmt.Sprintf("signing certificate trusted, found in [%s] trust anchors", a.Source.Name))
		} else {
			r.add(status.Failure, status.SigningCredentialUntrusted, url, ExplainUntrusted)
		}
	}
	if perr := CheckProfile(chain[0], ProfileOptions{At: r.SigningTime, ExtraEKUs: s.ekus, EndEntity: true}); perr != nil {
		r.add(status.Failure, perr.Code, url, perr.Explanation)
	}

	if err := sig.Verify(claim); err != nil {
		r.add(status.Failure, status.ClaimSignatureMismatch, url, ExplainSignatureInvalid)
		return r
	}
	r.Validated = true
	r.add(status.Success, status.ClaimSignatureInsideValidity, url, ExplainSignatureValid)
	r.add(status.Success, status.ClaimSignatureValidated, url, ExplainSignatureValid)
	return r
}

// assertionTimeStamp uses a c2pa.time-stamp assertion token when it
// verifies, as c2pa-rs get_store_validation_info does, and reports whether
// it did.
func (s *Store) assertionTimeStamp(r *SignatureResult, sig *cose.Sign1, opts VerifyOptions) bool {
	if len(opts.TimeStampAssertionToken) == 0 {
		return false
	}
	ts, err := cose.ParseTimeStamp(opts.TimeStampAssertionToken)
	if err != nil || ts.Verify(sig.Signature) != nil {
		return false
	}
	if opts.ClaimVersion != 1 && !opts.SkipTimeStampTrust && !s.tsaTrusted(ts) {
		return false
	}
	r.TimeStamp, r.TimeStampTrusted = ts, true
	return true
}

// explanation strips the sentinel prefix cose puts on time-stamp errors.
func explanation(err error, sentinel error) string {
	return strings.TrimPrefix(err.Error(), sentinel.Error()+": ")
}

// checkTimeStamp validates the header time-stamp and, unless skipped, the
// TSA's trust, as c2pa-rs verify_time_stamp does.
func (s *Store) checkTimeStamp(r *SignatureResult, sig *cose.Sign1, claim []byte, opts VerifyOptions) {
	url := opts.URL
	h, ok, err := sig.TimeStampHeader()
	if !ok || err != nil {
		return
	}
	if len(h.Tokens) > 1 {
		r.add(status.Informational, status.TimeStampMalformed, url, ExplainSingleTimeStamp)
		return
	}
	if len(h.Tokens) == 0 {
		return
	}
	ts, err := cose.ParseTimeStamp(h.Tokens[0])
	if err != nil {
		r.add(status.Informational, status.TimeStampMalformed, url, ExplainTimeStampNotParse)
		return
	}
	if err := ts.Verify(sig.CounterSignatureData(h.Version, claim)); err != nil {
		if errors.Is(err, cose.ErrNoTimeStamp) {
			return // c2pa-rs found no signer to check and logs nothing
		}
		code, sentinel := status.TimeStampMalformed, cose.ErrTimeStampMalformed
		switch {
		case errors.Is(err, cose.ErrTimeStampMismatch):
			code, sentinel = status.TimeStampMismatch, cose.ErrTimeStampMismatch
		case errors.Is(err, cose.ErrTimeStampSignature):
			code, sentinel = status.TimeStampUntrusted, cose.ErrTimeStampSignature
		case errors.Is(err, cose.ErrTimeStampOutsideValidity):
			code, sentinel = status.TimeStampOutsideValidity, cose.ErrTimeStampOutsideValidity
		}
		r.add(status.Informational, code, url, explanation(err, sentinel))
		return
	}
	name := ts.SignerName()
	r.TimeStamp = ts
	r.add(status.Success, status.TimeStampValidated, url, "timestamp message digest matched: "+name)
	if opts.ClaimVersion == 1 || opts.SkipTimeStampTrust {
		r.TimeStampTrusted = true
		r.add(status.Success, status.TimeStampTrusted, url, "legacy timestamp cert trusted: "+name)
		return
	}
	if perr := tsaProfile(ts); perr != nil {
		// RS-QUIRK: c2pa-rs logs the TSA's profile failure under the
		// signingCredential code into the manifest's log.
		r.add(status.Failure, perr.Code, url, perr.Explanation)
		r.add(status.Informational, status.TimeStampUntrusted, url, "timestamp cert untrusted: "+name)
		return
	}
	a, err := s.tsaChain(ts)
	if err != nil {
		r.add(status.Informational, status.TimeStampUntrusted, url, "timestamp cert untrusted: "+name)
		return
	}
	r.TimeStampTrusted = true
	r.add(status.Success, status.TimeStampTrusted, url, fmt.Sprintf("timestamp cert trusted: %s, trust list: %s", name, a.Source.Name))
}

var tsEKUs = []asn1.ObjectIdentifier{OIDTimeStamping}

// tsaProfile checks the TSA leaf's profile at the stamped time with only
// timeStamping (and the always-accepted EKUs) allowed.
func tsaProfile(ts *cose.TimeStamp) *ProfileError {
	return CheckProfile(ts.Chain[0], ProfileOptions{At: ts.Time, ExtraEKUs: tsEKUs, EndEntity: true})
}

// tsaChain anchors the TSA chain at the stamped time; TSA and signer
// anchors are pooled (RS-QUIRK of c2pa-rs ≤ 0.91) unless the store
// separates purposes.
func (s *Store) tsaChain(ts *cose.TimeStamp) (*Anchor, error) {
	return s.forPurpose(true, tsEKUs).TrustChain(ts.Chain, ts.Time)
}

// tsaTrusted reports whether a validated time-stamp's TSA is trusted.
func (s *Store) tsaTrusted(ts *cose.TimeStamp) bool {
	if tsaProfile(ts) != nil {
		return false
	}
	_, err := s.tsaChain(ts)
	return err == nil
}
