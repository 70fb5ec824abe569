package jumbf

import (
	"encoding/hex"
	"fmt"
)

// UUID is a JUMBF type UUID as its 16 raw bytes (the order written in jumd).
type UUID [16]byte

// String formats u as 8-4-4-4-12 upper-case hex, as the C2PA specification does.
func (u UUID) String() string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return upper(b[:])
}

func upper(b []byte) string {
	for i, c := range b {
		if c >= 'a' && c <= 'f' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// ParseUUID parses the 8-4-4-4-12 hex form (either case).
func ParseUUID(s string) (UUID, error) {
	var u UUID
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return u, fmt.Errorf("jumbf: malformed UUID %q", s)
	}
	h := s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:]
	if _, err := hex.Decode(u[:], []byte(h)); err != nil {
		return u, fmt.Errorf("jumbf: malformed UUID %q: %w", s, err)
	}
	return u, nil
}

// c2paUUID builds the UUIDs that share the ISO suffix 0011-0010-8000-00AA00389B71
// and start with four ASCII characters.
func c2paUUID(prefix string) UUID {
	u := UUID{0, 0, 0, 0, 0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71}
	copy(u[:4], prefix)
	return u
}

func mustUUID(s string) UUID {
	u, err := ParseUUID(s)
	if err != nil {
		panic(err) // only called on constants below
	}
	return u
}

// JUMBF description types used by C2PA (C2PA-NOTES §1.4).
var (
	ManifestStore       = c2paUUID("c2pa") // outermost manifest store superbox
	StandardManifest    = c2paUUID("c2ma") // standard manifest
	StandardManifestAlt = c2paUUID("c2md") // standard manifest, alternative UUID (read, never written)
	UpdateManifest      = c2paUUID("c2um") // update manifest
	CompressedManifest  = c2paUUID("c2cm") // compressed manifest wrapping one brob box
	TimeStampManifest   = c2paUUID("c2tm") // historical time-stamp manifest
	AssertionStore      = c2paUUID("c2as") // c2pa.assertions
	Claim               = c2paUUID("c2cl") // c2pa.claim and c2pa.claim.v2
	ClaimSignature      = c2paUUID("c2cs") // c2pa.signature
	CredentialStore     = c2paUUID("c2vc") // c2pa.credentials (v1 claims only)
	Databoxes           = c2paUUID("c2db") // c2pa.databoxes (deprecated)
	JSONAssertion       = c2paUUID("json") // assertion in a json content box
	CBORAssertion       = c2paUUID("cbor") // assertion in a cbor content box
	UUIDAssertion       = c2paUUID("uuid") // assertion in a uuid content box
	EmbeddedFileDesc    = c2paUUID("bfdb") // embedded-file description box type
	EmbeddedFileData    = c2paUUID("bidb") // embedded-file content box type
	Brotli              = c2paUUID("brob") // Brotli-compressed content
	LegacyIngredients   = c2paUUID("cais") // pre-1.0 ingredient store (unused)
	LegacyIngredient    = c2paUUID("cain") // pre-1.0 ingredient (unused)
	EmbeddedFile        = mustUUID("40CB0C32-BB8A-489D-A70B-2AD6F47F4369")
	Codestream          = mustUUID("6579D6FB-DBA2-446B-B2AC-1B82FEEB89D1")
	// Redaction is the UUID written in a uuid content box that replaces a redacted assertion.
	Redaction = mustUUID("CAA98EEE-9D4D-F80E-86AD-4DFFCA263973")
)

// IsManifest reports whether u is the type of a manifest superbox (standard,
// alternative standard, update or compressed).
func IsManifest(u UUID) bool {
	switch u {
	case StandardManifest, StandardManifestAlt, UpdateManifest, CompressedManifest:
		return true
	}
	return false
}
