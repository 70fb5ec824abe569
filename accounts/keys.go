package accounts

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"strings"
)

// keyPrefix starts every key that provgraph issues, in the NotarAI shape
// <prefix>_live_key_<key id>_<secret>.
const keyPrefix = "pg_live_key_"

// legacyKeyPrefix starts the keys issued before keyPrefix
// (pg_live_<key id>_<secret>); they keep working.
const legacyKeyPrefix = "pg_live_"

// prefixLen is how many leading characters of a key are stored in clear,
// for people to recognise a key in a list.
const prefixLen = 20

// encoding writes key ids and secrets: lower-case, no padding, no "_" so
// that the parts of a key split unambiguously.
var encoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// parsedKey is a presented API key split into the id to look it up by and
// the secret to check.
type parsedKey struct {
	keyID  string
	secret string
}

// newKey returns a fresh random key in the pg_live_key_<key id>_<secret>
// form.
func newKey() (full string, k parsedKey) {
	var id [10]byte
	var secret [32]byte
	// crypto/rand.Read never returns an error (it panics if the system
	// source fails).
	_, _ = rand.Read(id[:])
	_, _ = rand.Read(secret[:])
	k = parsedKey{keyID: encoding.EncodeToString(id[:]), secret: encoding.EncodeToString(secret[:])}
	return keyPrefix + k.keyID + "_" + k.secret, k
}

// parseKey splits a presented key. A string that is not in the issued form
// (an operator-chosen PROVGRAPH_ADMIN_KEY) is still a valid key: its id is
// derived from a hash of the whole string and the whole string is its
// secret, so every key is looked up and checked the same way.
//
// The issued form is tried before the legacy one: a key id is base32 and
// never "key", so a legacy key cannot be mistaken for an issued one.
func parseKey(raw string) parsedKey {
	for _, prefix := range []string{keyPrefix, legacyKeyPrefix} {
		if rest, ok := strings.CutPrefix(raw, prefix); ok {
			if id, secret, ok := strings.Cut(rest, "_"); ok && id != "" && secret != "" {
				return parsedKey{keyID: id, secret: secret}
			}
		}
	}
	sum := sha256.Sum256([]byte("provgraph key id\x00" + raw))
	return parsedKey{keyID: "x" + hex.EncodeToString(sum[:10]), secret: raw}
}

// displayPrefix is the part of a key shown in lists.
func displayPrefix(full string) string {
	if len(full) <= prefixLen {
		// A short operator-chosen key: showing any of it would show most of it.
		return "…"
	}
	return full[:prefixLen] + "…"
}

// hashSecret is what is stored of a secret.
func hashSecret(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}

// secretMatches compares in constant time.
func secretMatches(secret string, hash []byte) bool {
	return subtle.ConstantTimeCompare(hashSecret(secret), hash) == 1
}
