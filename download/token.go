package download

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrInvalid is returned for a token that is malformed or whose signature
// does not match (a forged or mangled URL): the server answers 404.
var ErrInvalid = errors.New("download: invalid token")

// ErrExpired is returned for a genuine token past its expiry: 410 Gone.
var ErrExpired = errors.New("download: token expired")

// Grant is what a token allows: fetching one blob, under a file name, until
// a time.
type Grant struct {
	// Key is the blob's storage key.
	Key string
	// FileName is sent in Content-Disposition.
	FileName string
	// ContentType is sent as the response's Content-Type.
	ContentType string
	// Expires is when the token stops working (second precision).
	Expires time.Time
}

// Signer mints and checks tokens with one secret.
type Signer struct {
	secret []byte
	now    func() time.Time
}

// NewSigner returns a Signer for secret, which must be at least 32 bytes.
// now may be nil for time.Now.
func NewSigner(secret []byte, now func() time.Time) (*Signer, error) {
	if len(secret) < 32 {
		return nil, fmt.Errorf("download: secret of %d bytes is too short (need 32)", len(secret))
	}
	if now == nil {
		now = time.Now
	}
	return &Signer{secret: append([]byte(nil), secret...), now: now}, nil
}

// Token encodes g as URL-safe text: base64url(payload) "." base64url(mac).
// The payload is expiry (u64 unix seconds) then three length-prefixed
// strings, so no field can bleed into another.
func (s *Signer) Token(g Grant) string {
	var p []byte
	p = binary.BigEndian.AppendUint64(p, uint64(g.Expires.Unix()))
	for _, f := range []string{g.Key, g.FileName, g.ContentType} {
		p = binary.AppendUvarint(p, uint64(len(f)))
		p = append(p, f...)
	}
	enc := base64.RawURLEncoding
	return enc.EncodeToString(p) + "." + enc.EncodeToString(s.mac(p))
}

// Derive returns a 32-byte key for purpose, derived from the signer's
// secret: other features that must be keyed alike on every instance (the
// REST APIs' record IDs) use it instead of the secret itself, so that no
// MAC of theirs can ever pass for a download token.
func (s *Signer) Derive(purpose string) []byte {
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte("provgraph-derive-v1\x00"))
	m.Write([]byte(purpose))
	return m.Sum(nil)
}

func (s *Signer) mac(p []byte) []byte {
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte("provgraph-download-v1\x00"))
	m.Write(p)
	return m.Sum(nil)
}

// Check verifies tok and returns its grant. The signature is checked before
// anything in the payload is trusted, including the expiry.
func (s *Signer) Check(tok string) (Grant, error) {
	payloadText, macText, ok := strings.Cut(tok, ".")
	// Go's base64 decoders skip CR and LF even in strict mode: refused
	// here, so that a token has one spelling only.
	if !ok || len(tok) > 4096 || strings.ContainsAny(tok, "\r\n") {
		return Grant{}, ErrInvalid
	}
	enc := base64.RawURLEncoding.Strict()
	p, err1 := enc.DecodeString(payloadText)
	sum, err2 := enc.DecodeString(macText)
	if err1 != nil || err2 != nil || !hmac.Equal(sum, s.mac(p)) {
		return Grant{}, ErrInvalid
	}
	if len(p) < 8 {
		return Grant{}, ErrInvalid
	}
	g := Grant{Expires: time.Unix(int64(binary.BigEndian.Uint64(p)), 0)}
	rest := p[8:]
	fields := []*string{&g.Key, &g.FileName, &g.ContentType}
	for _, f := range fields {
		n, k := binary.Uvarint(rest)
		if k <= 0 || n > uint64(len(rest)-k) {
			return Grant{}, ErrInvalid
		}
		*f = string(rest[k : k+int(n)])
		rest = rest[k+int(n):]
	}
	if len(rest) != 0 {
		return Grant{}, ErrInvalid
	}
	if !s.now().Before(g.Expires) {
		return g, ErrExpired
	}
	return g, nil
}
