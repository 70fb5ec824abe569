package notarai

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"strings"

	"provgraph/download"
)

// Kind is what a NotarAI ID names. The kind is part of the ID's tag, so
// that the ID of a job is never accepted where a record is expected.
type Kind byte

// The kinds of IDs the API hands out.
const (
	KindRecord     Kind = 1 // an asset
	KindCollection Kind = 2
	KindJob        Kind = 3
	KindWorkflow   Kind = 4
)

// maxID is the largest integer ID a NotarAI ID can carry (48 bits).
const maxID = 1<<48 - 1

// errNotUUID means a text is not a UUID at all (a 400); a UUID that is not
// one of ours is simply not found (a 404).
var errNotUUID = errors.New("not a UUID")

// IDs maps provgraph's integer IDs to the UUIDs NotarAI clients expect,
// and back, without storing anything: each UUID is a version 8 (custom)
// UUID whose first 48 bits are the integer ID and whose other 74 free bits
// are a tag, HMAC-SHA256(key, kind ‖ id) truncated. The mapping is
// reversible by anyone holding the key (every instance derives it from the
// shared download secret), and a UUID cannot be guessed: GET /verify/{id}
// answers without an API key, so a record's UUID is what grants reading it.
//
//	bytes 0–5   integer ID, big-endian
//	byte  6     0x8_ (version 8) | 4 tag bits
//	byte  7     8 tag bits
//	byte  8     0b10 (RFC 9562 variant) | 6 tag bits
//	bytes 9–15  56 tag bits
type IDs struct {
	key []byte
}

// IDsOf returns the mapping an instance uses, keyed from the secret of
// its download signer (the same on every instance of a deployment).
func IDsOf(s *download.Signer) *IDs {
	m, err := NewIDs(s.Derive(idPurpose))
	if err != nil {
		panic(err) // Derive returns 32 bytes
	}
	return m
}

// NewIDs returns the mapping keyed by key (at least 32 bytes).
func NewIDs(key []byte) (*IDs, error) {
	if len(key) < 32 {
		return nil, errors.New("notarai: the ID key must have at least 32 bytes")
	}
	return &IDs{key: append([]byte(nil), key...)}, nil
}

// Encode returns the UUID of the integer ID id of kind k.
func (m *IDs) Encode(k Kind, id int) string {
	var b [16]byte
	m.fill(&b, k, id)
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// Decode returns the integer ID that text, a UUID of kind k, carries. It
// is errNotUUID when text is no UUID, and ok is false when it is a UUID
// that this instance did not hand out for kind k.
func (m *IDs) Decode(k Kind, text string) (id int, ok bool, err error) {
	var b [16]byte
	if len(text) != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-' {
		return 0, false, errNotUUID
	}
	if _, err := hex.Decode(b[:], []byte(strings.ReplaceAll(text, "-", ""))); err != nil {
		return 0, false, errNotUUID
	}
	var head [8]byte
	copy(head[2:], b[:6])
	n := binary.BigEndian.Uint64(head[:])
	if n == 0 || n > maxID {
		return 0, false, nil
	}
	var want [16]byte
	m.fill(&want, k, int(n))
	if subtle.ConstantTimeCompare(b[:], want[:]) != 1 {
		return 0, false, nil
	}
	return int(n), true, nil
}

// fill writes the UUID of (k, id) into b.
func (m *IDs) fill(b *[16]byte, k Kind, id int) {
	var head [8]byte
	binary.BigEndian.PutUint64(head[:], uint64(id)&maxID)
	copy(b[:6], head[2:])
	mac := hmac.New(sha256.New, m.key)
	mac.Write([]byte{'n', 'o', 't', 'a', 'r', 'a', 'i', '-', 'i', 'd', 0, byte(k)})
	mac.Write(b[:6])
	tag := mac.Sum(nil)
	b[6] = 0x80 | tag[0]&0x0f
	b[7] = tag[1]
	b[8] = 0x80 | tag[2]&0x3f
	copy(b[9:], tag[3:10])
}
