// Package trust decides whether a C2PA signing credential is acceptable and
// produces the validation statuses c2pa-rs 0.91 emits for a claim
// signature. It never touches the network; byte-level COSE and RFC 3161
// work is package cose's.
//
// A Store pools anchor sources, consulted in order: the operator's PEM
// bundle ("system_anchors", c2pa-rs trust_anchors), the embedded official
// C2PA Trust List and C2PA TSA Trust List (publication dates in lists.go;
// replaceable by newer files), user anchors, and, opt-in, the legacy CAI
// interim list whose trust is flagged Source.Legacy. Signer and TSA anchors
// are pooled as in c2pa-rs ≤ 0.91; Config.SeparatePurposes (or
// Store.SeparatePurposes) applies the C2PA 2.3 model instead, where the TSA
// Trust List vouches only for time-stamp authorities.
//
//	store, err := trust.New(trust.Config{Anchors: operatorPEM, Interim: false, EKUConfig: storeCfg})
//	r := store.VerifyClaimSignature(coseBytes, claimBytes, trust.VerifyOptions{
//		URL: "self#jumbf=/c2pa/" + label + "/c2pa.signature", ClaimVersion: 2,
//	})
//	log.Append(r.Entries...)   // status.Entry values, in c2pa-rs order
//	// r.Err != nil: c2pa-rs stops on this claim (unparseable COSE, no
//	// certificate, unsupported algorithm → c2pa-rs UnknownAlgorithm).
//	// r.Anchor (nil if untrusted), r.TimeStamp, r.SigningTime, r.Validated.
//
// The entries follow c2pa-rs: signingCredential.ocsp.* (stapled rVals only;
// ocsp.skipped without them), timeStamp.validated + timeStamp.trusted (or
// informational untrusted/mismatch/malformed/outsideValidity; version 1
// claims get "legacy timestamp cert trusted"), signingCredential.trusted or
// .untrusted, a profile failure signingCredential.invalid or .expired, then
// claimSignature.insideValidity + .validated or claimSignature.mismatch.
//
// CheckProfile is c2pa-rs's certificate profile (C2PA 2.2 §14.5.1 as
// narrowed by c2pa-rs): validity at the trusted time-stamp's time or now,
// algorithms and key sizes, no self-signed CA, no unique IDs, EKU rules
// (emailProtection, timeStamping and OCSPSigning always accepted; others,
// e.g. documentSigning or Microsoft's 1.3.6.1.4.1.311.76.59.1.9, only from a
// store.cfg — without one c2pa-rs 0.91 reports the Microsoft signers
// signingCredential.invalid "certificate missing required EKU"), key usage,
// AKI, SKI on CAs, no unknown critical extension, end entity not a CA.
// TrustChain is c2pa-rs 0.91's native chain check: leaf EKU accepted, chain
// correctly ordered with every issuer a CA (cA, keyCertSign, path length),
// every certificate valid at the trusted time-stamp's time or else now, then
// source by source the first anchor vouching for a certificate (walking from
// the top) wins. TestOracleChainRules pins these rules to the oracle.
package trust
