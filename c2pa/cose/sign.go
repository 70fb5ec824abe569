package cose

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
)

// TimestampProvider obtains RFC 3161 time-stamps while signing. The RFC 3161
// HTTP client (TSAClient) implements it; tests and offline signers inject
// their own.
type TimestampProvider interface {
	// TimeStamp returns the DER TimeStampResp of a time-stamp whose message
	// imprint is a hash of data. Implementations verify the response (status,
	// imprint, nonce, CMS signature) before returning it.
	TimeStamp(ctx context.Context, data []byte) ([]byte, error)
}

// SignOptions configures Sign.
type SignOptions struct {
	// Algorithm to sign with; zero selects AlgorithmFor(the signer's key).
	Algorithm Algorithm
	// Chain is the DER certificate chain, leaf first, intermediates next,
	// root omitted [C2PA §14.5]. Required.
	Chain [][]byte
	// ReserveSize is the exact size of the output, as reserved in the
	// manifest's signature box; zero means no padding.
	ReserveSize int
	// TimeStamper, when set, adds an RFC 3161 time-stamp.
	TimeStamper TimestampProvider
	// TimeStampVersion selects sigTst2 over the signature (2, the default,
	// for v2 claims) or sigTst over the claim (1, for v1 claims).
	TimeStampVersion int
	// OCSP is an optional DER OCSPResponse stapled as rVals.
	OCSP []byte
}

// AlgorithmFor picks the algorithm for a public key: ES256/384/512 by EC
// curve, PS256 for any RSA key (PS384/512 only when asked for), EdDSA for
// Ed25519.
func AlgorithmFor(pub crypto.PublicKey) (Algorithm, error) {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256():
			return ES256, nil
		case elliptic.P384():
			return ES384, nil
		case elliptic.P521():
			return ES512, nil
		}
		return 0, fmt.Errorf("%w: EC curve %s", ErrUnsupportedAlgorithm, k.Curve.Params().Name)
	case *rsa.PublicKey:
		if k.N.BitLen() < 2048 {
			return 0, fmt.Errorf("%w: %d-bit RSA key (C2PA needs 2048 or more)", ErrUnsupportedAlgorithm, k.N.BitLen())
		}
		return PS256, nil
	case ed25519.PublicKey:
		return EdDSA, nil
	}
	return 0, fmt.Errorf("%w: key type %T", ErrUnsupportedAlgorithm, pub)
}

// RawSignatureSize is the largest signature alg produces with pub: 2× the
// curve size for ECDSA, the modulus size for RSA, 64 for Ed25519.
func RawSignatureSize(pub crypto.PublicKey) int {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		return 2 * ((k.Curve.Params().BitSize + 7) / 8)
	case *rsa.PublicKey:
		return k.Size()
	case ed25519.PublicKey:
		return ed25519.SignatureSize
	}
	return 512
}

// Reserve sizes as c2pa-rs computes them [rs: sdk/src/crypto/cose/sign.rs
// cose_reserve_size].
const (
	reserveOverhead  = 1024
	reserveTimeStamp = 10000
)

// ReserveSize returns the signature box size c2pa-rs reserves: the raw
// signature size + the DER chain length + 1024, + 10000 with a time-stamp,
// + the OCSP response length.
func ReserveSize(pub crypto.PublicKey, chain [][]byte, withTimeStamp bool, ocspLen int) int {
	n := RawSignatureSize(pub) + reserveOverhead + ocspLen
	for _, c := range chain {
		n += len(c)
	}
	if withTimeStamp {
		n += reserveTimeStamp
	}
	return n
}

// Sign signs the claim bytes (detached payload) and returns the tagged
// COSE_Sign1, padded with "pad"/"pad2" to exactly opts.ReserveSize when
// set. The protected header holds alg and x5chain (one bstr for one
// certificate, else an array); the unprotected header sigTst2 or sigTst,
// rVals, pad, pad2, in that order, as c2pa-rs writes them.
func Sign(ctx context.Context, signer crypto.Signer, claim []byte, opts SignOptions) ([]byte, error) {
	if len(opts.Chain) == 0 {
		return nil, fmt.Errorf("cose: sign: %w", ErrMissingCertificate)
	}
	leaf, err := x509.ParseCertificate(opts.Chain[0])
	if err != nil {
		return nil, fmt.Errorf("cose: sign: %w: %v", ErrBadCertificate, err)
	}
	alg := opts.Algorithm
	if alg == 0 {
		if alg, err = AlgorithmFor(signer.Public()); err != nil {
			return nil, fmt.Errorf("cose: sign: %w", err)
		}
	}
	if !alg.Supported() {
		return nil, fmt.Errorf("cose: sign: %w: %v", ErrUnsupportedAlgorithm, alg)
	}
	leafKey, err := PublicKey(leaf)
	if err != nil {
		return nil, fmt.Errorf("cose: sign: %w", err)
	}
	if !publicKeysEqual(leafKey, signer.Public()) {
		return nil, fmt.Errorf("cose: sign: %w: the key is not the leaf certificate's", ErrKeyMismatch)
	}

	protected := protectedHeader(alg, opts.Chain)
	tsVersion := opts.TimeStampVersion
	if tsVersion == 0 {
		tsVersion = 2
	}
	var unprot []unprotectedParam

	if opts.TimeStamper != nil && tsVersion == 1 {
		resp, err := opts.TimeStamper.TimeStamp(ctx, sigStructure("CounterSignature", protected, claim))
		if err != nil {
			return nil, fmt.Errorf("cose: sign: time-stamp: %w", err)
		}
		unprot = append(unprot, unprotectedParam{LabelSigTst, tstContainerBytes(resp)})
	}

	tbs := sigStructure("Signature1", protected, claim)
	sig, err := rawSign(signer, alg, leafKey, tbs)
	if err != nil {
		return nil, fmt.Errorf("cose: sign: %w", err)
	}

	if opts.TimeStamper != nil && tsVersion == 2 {
		resp, err := opts.TimeStamper.TimeStamp(ctx, sigStructure("CounterSignature", protected, appendBytes(nil, sig)))
		if err != nil {
			return nil, fmt.Errorf("cose: sign: time-stamp: %w", err)
		}
		token, err := TokenFromResponse(resp)
		if err != nil {
			return nil, fmt.Errorf("cose: sign: time-stamp: %w", err)
		}
		unprot = append(unprot, unprotectedParam{LabelSigTst2, tstContainerBytes(token)})
	}
	if len(opts.OCSP) > 0 {
		r := appendHead(nil, majorMap, 1)
		r = appendText(r, "ocspVals")
		r = appendHead(r, majorArray, 1)
		r = appendBytes(r, opts.OCSP)
		unprot = append(unprot, unprotectedParam{LabelRVals, r})
	}
	out, err := pad(protected, unprot, sig, opts.ReserveSize)
	if err != nil {
		return nil, fmt.Errorf("cose: sign: %w", err)
	}
	return out, nil
}

func publicKeysEqual(a, b crypto.PublicKey) bool {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	e, ok := a.(equaler)
	return ok && e.Equal(b)
}

// rawSign signs tbs and returns ECDSA signatures as raw r‖s sized to the
// leaf's curve, converting DER the way c2pa-rs does.
func rawSign(signer crypto.Signer, alg Algorithm, leafKey crypto.PublicKey, tbs []byte) ([]byte, error) {
	var (
		sig []byte
		err error
	)
	switch alg {
	case EdDSA:
		sig, err = signer.Sign(rand.Reader, tbs, crypto.Hash(0))
	case PS256, PS384, PS512:
		sig, err = signer.Sign(rand.Reader, digest(alg.Hash(), tbs),
			&rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: alg.Hash()})
	default:
		sig, err = signer.Sign(rand.Reader, digest(alg.Hash(), tbs), alg.Hash())
	}
	if err != nil {
		return nil, err
	}
	if !isECDSA(alg) {
		return sig, nil
	}
	k, ok := leafKey.(*ecdsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%w: %v needs an EC key", ErrKeyMismatch, alg)
	}
	size := (k.Curve.Params().BitSize + 7) / 8
	if len(sig) == 2*size && !isDERSignature(sig) {
		return sig, nil
	}
	var v struct{ R, S *big.Int }
	if rest, err := asn1.Unmarshal(sig, &v); err != nil || len(rest) != 0 || v.R == nil || v.S == nil {
		return nil, errors.New("signer returned neither DER nor raw r||s ECDSA")
	}
	if v.R.Sign() < 0 || v.S.Sign() < 0 || v.R.BitLen() > 8*size || v.S.BitLen() > 8*size {
		return nil, errors.New("ECDSA signature does not fit the curve")
	}
	raw := make([]byte, 2*size)
	v.R.FillBytes(raw[:size])
	v.S.FillBytes(raw[size:])
	return raw, nil
}

// protectedHeader encodes {1: alg, 33: x5chain} as coset writes it.
func protectedHeader(alg Algorithm, chain [][]byte) []byte {
	h := appendHead(nil, majorMap, 2)
	h = appendInt(h, labelAlg)
	h = appendInt(h, int64(alg))
	h = appendInt(h, labelX5Chain)
	if len(chain) == 1 {
		return appendBytes(h, chain[0])
	}
	h = appendHead(h, majorArray, uint64(len(chain)))
	for _, c := range chain {
		h = appendBytes(h, c)
	}
	return h
}

// tstContainerBytes encodes {"tstTokens": [{"val": token}]}.
func tstContainerBytes(token []byte) []byte {
	b := appendHead(nil, majorMap, 1)
	b = appendText(b, "tstTokens")
	b = appendHead(b, majorArray, 1)
	b = appendHead(b, majorMap, 1)
	b = appendText(b, "val")
	return appendBytes(b, token)
}

type unprotectedParam struct {
	label string
	value []byte // encoded CBOR item
}

func encodeSign1(protected []byte, unprot []unprotectedParam, sig []byte) []byte {
	out := []byte{0xd2, 0x84}
	out = appendBytes(out, protected)
	out = appendHead(out, majorMap, uint64(len(unprot)))
	for _, p := range unprot {
		out = appendText(out, p.label)
		out = append(out, p.value...)
	}
	out = append(out, 0xf6)
	return appendBytes(out, sig)
}

// paramSize is the encoded size of a text-labelled zero-filled bstr.
func paramSize(label string, n int) int {
	return headLen(uint64(len(label))) + len(label) + headLen(uint64(n)) + n
}

// fitPad returns a pad length whose parameter takes exactly need bytes.
func fitPad(label string, need int) (int, bool) {
	for _, h := range []int{1, 2, 3, 5} {
		n := need - headLen(uint64(len(label))) - len(label) - h
		if n >= 0 && headLen(uint64(n)) == h {
			return n, true
		}
	}
	return 0, false
}

// pad grows the unprotected header with "pad" (and "pad2" when one
// parameter cannot hit the size) so the encoding is exactly size bytes —
// the same idea as c2pa-rs pad_cose_sig, computed instead of searched.
func pad(protected []byte, unprot []unprotectedParam, sig []byte, size int) ([]byte, error) {
	out := encodeSign1(protected, unprot, sig)
	if size == 0 || len(out) == size {
		return out, nil
	}
	if len(out) > size {
		return nil, fmt.Errorf("%w: %d bytes, reserved %d", ErrReserveTooSmall, len(out), size)
	}
	grow := func(extra int) int { // map head growth when adding params
		return headLen(uint64(len(unprot)+extra)) - headLen(uint64(len(unprot)))
	}
	if n, ok := fitPad(LabelPad, size-len(out)-grow(1)); ok {
		return withPads(protected, unprot, sig, size, n, -1)
	}
	for n2 := 0; n2 < 300; n2++ {
		need := size - len(out) - grow(2) - paramSize(LabelPad2, n2)
		if n, ok := fitPad(LabelPad, need); ok {
			return withPads(protected, unprot, sig, size, n, n2)
		}
	}
	return nil, fmt.Errorf("%w: cannot pad %d bytes to %d", ErrReserveTooSmall, len(out), size)
}

func withPads(protected []byte, unprot []unprotectedParam, sig []byte, size, n, n2 int) ([]byte, error) {
	params := append(append([]unprotectedParam(nil), unprot...), unprotectedParam{LabelPad, appendBytes(nil, make([]byte, n))})
	if n2 >= 0 {
		params = append(params, unprotectedParam{LabelPad2, appendBytes(nil, make([]byte, n2))})
	}
	out := encodeSign1(protected, params, sig)
	if len(out) != size {
		return nil, fmt.Errorf("cose: padding produced %d bytes, want %d", len(out), size)
	}
	return out, nil
}
