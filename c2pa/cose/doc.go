// Package cose reads, verifies and writes C2PA claim signatures: tagged
// COSE_Sign1 structures over a detached claim (C2PA 2.2 §13.2, §10.3.2.4),
// with the x5chain, sigTst/sigTst2, rVals and pad/pad2 header rules of
// c2pa-rs, and the RFC 3161 time-stamp tokens they carry. Certificate
// profile and trust decisions live in package trust: this package does
// bytes and cryptography only, and never panics on hostile input.
//
// Reading:
//
//	s, err := cose.Parse(sigBoxPayload)      // ErrMalformed (claimSignature.mismatch)
//	alg, err := s.Algorithm()                // ErrUnsupportedAlgorithm (algorithm.unsupported)
//	ders, err := s.CertificateChain()        // x5chain, c2pa-rs rules; ErrMissingCertificate, ErrMultipleChains
//	certs, err := s.Certificates()           // parsed, leaf first (ParseCertificate, lenient on PrintableString)
//	err = s.Verify(claimBytes)               // ErrSignatureMismatch, ErrDERSignature, ErrKeyMismatch
//	h, ok, err := s.TimeStampHeader()        // first of sigTst2/sigTst: Version 1|2, Tokens
//	ts, err := cose.ParseTimeStamp(h.Tokens[0])
//	err = ts.Verify(s.CounterSignatureData(h.Version, claimBytes))
//	// ErrTimeStampMismatch / ErrTimeStampSignature / ErrTimeStampOutsideValidity / ErrTimeStampMalformed;
//	// on success ts.Time (signingTime attribute or genTime), ts.Signer, ts.Chain, ts.SignerName().
//	ocsp := s.OCSPResponses()                // rVals.ocspVals
//
// Writing:
//
//	reserve := cose.ReserveSize(key.Public(), chain, withTSA, 0) // c2pa-rs cose_reserve_size
//	sig, err := cose.Sign(ctx, key, claimBytes, cose.SignOptions{
//		Chain: chain, ReserveSize: reserve,                     // exact output size (pad/pad2)
//		TimeStamper: &cose.TSAClient{URL: tsaURL},               // optional; sigTst2 (v2) or sigTst (TimeStampVersion: 1)
//	})
//
// Sign writes the protected header {1: alg, 33: x5chain} and the unprotected
// header sigTst2|sigTst, rVals, pad, pad2 as c2pa-rs does; ECDSA signatures
// are raw r‖s. AlgorithmFor picks ES256/384/512 by curve, PS256 for RSA and
// EdDSA for Ed25519. TimestampProvider is the seam for other TSAs; TSAClient
// is the RFC 3161 HTTP client (SHA-256 imprint, nonce, certReq) and checks
// every response with CheckResponse before it is embedded.
package cose
