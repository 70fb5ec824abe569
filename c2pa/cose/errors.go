package cose

import (
	"errors"
	"fmt"
)

// Errors a caller branches on. They are wrapped with context; test with
// errors.Is.
var (
	// ErrMalformed: the bytes are not a tagged COSE_Sign1 as C2PA requires
	// (c2pa-rs reports claimSignature.mismatch).
	ErrMalformed = errors.New("cose: malformed COSE_Sign1")
	// ErrUnsupportedAlgorithm: the protected header has no alg, or one
	// outside the C2PA list (algorithm.unsupported; c2pa-rs aborts reading
	// with UnknownAlgorithm).
	ErrUnsupportedAlgorithm = errors.New("cose: unsupported or missing signing algorithm")
	// ErrDERSignature: an ECDSA signature is DER-encoded instead of raw r‖s
	// (c2pa-rs reports signingCredential.invalid).
	ErrDERSignature = errors.New("cose: ECDSA signature is DER, not raw r||s")
	// ErrMissingCertificate: no x5chain, or one without certificates.
	ErrMissingCertificate = errors.New("cose: missing signing certificate chain")
	// ErrMultipleChains: an x5chain in both the protected and the unprotected
	// header (c2pa-rs MultipleSigningCertificateChains).
	ErrMultipleChains = errors.New("cose: x5chain in both protected and unprotected header")
	// ErrBadCertificate: the signing certificate cannot be parsed.
	ErrBadCertificate = errors.New("cose: invalid signing certificate")
	// ErrKeyMismatch: the certificate's key does not fit the algorithm.
	ErrKeyMismatch = errors.New("cose: certificate key does not match the algorithm")
	// ErrSignatureMismatch: the signature does not verify
	// (claimSignature.mismatch).
	ErrSignatureMismatch = errors.New("cose: signature does not verify")
	// ErrReserveTooSmall: the signature does not fit the reserved size
	// (c2pa-rs BoxSizeTooSmall).
	ErrReserveTooSmall = errors.New("cose: signature larger than the reserved size")
	// ErrNoTimeStamp: the signature carries no usable time-stamp token.
	ErrNoTimeStamp = errors.New("cose: no time-stamp token")
	// ErrTimeStampMalformed: a time-stamp token or response cannot be parsed
	// (timeStamp.malformed).
	ErrTimeStampMalformed = errors.New("cose: malformed time-stamp")
	// ErrTimeStampMismatch: the token's imprint or message digest does not
	// match (timeStamp.mismatch).
	ErrTimeStampMismatch = errors.New("cose: time-stamp does not match")
	// ErrTimeStampSignature: the token's CMS signature does not verify or its
	// signer certificate is missing (timeStamp.untrusted).
	ErrTimeStampSignature = errors.New("cose: time-stamp signature invalid")
	// ErrTimeStampOutsideValidity: the time lies outside the TSA
	// certificate's validity (timeStamp.outsideValidity).
	ErrTimeStampOutsideValidity = errors.New("cose: time-stamp outside TSA certificate validity")
)

// FormatError reports malformed input at a byte offset; it wraps
// ErrMalformed (or ErrTimeStampMalformed for tokens).
type FormatError struct {
	Offset int    // byte offset into the parsed input, -1 if unknown
	What   string // what was wrong
	kind   error
}

// Error describes the defect and where it is.
func (e *FormatError) Error() string {
	if e.Offset < 0 {
		return fmt.Sprintf("%v: %s", e.kind, e.What)
	}
	return fmt.Sprintf("%v: %s at offset %d", e.kind, e.What, e.Offset)
}

// Unwrap returns the sentinel the error belongs to.
func (e *FormatError) Unwrap() error { return e.kind }

func malformed(off int, format string, args ...any) error {
	return &FormatError{Offset: off, What: fmt.Sprintf(format, args...), kind: ErrMalformed}
}
