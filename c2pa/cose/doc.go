// Package cose reads, verifies and writes C2PA claim signatures: tagged
// COSE_Sign1 structures over a detached claim (C2PA 2.2 §13.2, §10.3.2.4),
// with the x5chain, sigTst/sigTst2, rVals and pad/pad2 header rules of
// c2pa-rs, and the RFC 3161 time-stamp tokens they carry.
//
// Parse decodes bounded input without panicking; Sign1.Verify checks the
// signature over the claim bytes (ES256/384/512 as raw r‖s, PS256/384/512,
// Ed25519); Sign produces a signature padded to an exact reserve size;
// ParseTimeStamp and TimeStamp.Verify check a token's CMS signature and
// imprint. Certificate profile and trust decisions live in package trust:
// this package does cryptography and bytes only.
package cose
