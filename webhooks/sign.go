package webhooks

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The headers of the Standard Webhooks scheme that every delivery carries.
const (
	// HeaderID is the message ID, the same on every attempt of a message,
	// for receivers to drop duplicates.
	HeaderID = "webhook-id"
	// HeaderTimestamp is the Unix time in seconds of the attempt.
	HeaderTimestamp = "webhook-timestamp"
	// HeaderSignature holds space-separated "v1,<base64>" signatures.
	HeaderSignature = "webhook-signature"
)

// DefaultTolerance is how far webhook-timestamp may lie from now when
// Verify is given no tolerance.
const DefaultTolerance = 5 * time.Minute

// secretPrefix starts every secret, as Standard Webhooks writes them.
const secretPrefix = "whsec_"

// secretBytes is the length of the HMAC key of a new secret.
const secretBytes = 32

// newSecret returns a fresh secret: whsec_ followed by the base64 of a
// random key.
func newSecret() (string, error) {
	key := make([]byte, secretBytes)
	if _, err := rand.Read(key); err != nil {
		return "", fmt.Errorf("webhooks: generating a secret: %w", err)
	}
	return secretPrefix + base64.StdEncoding.EncodeToString(key), nil
}

// secretKey returns the HMAC key of a secret.
func secretKey(secret string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, secretPrefix))
	if err != nil || len(key) == 0 {
		return nil, ErrInvalidSecret
	}
	return key, nil
}

// Sign returns the webhook-signature value of a message: "v1," and the
// base64 of the HMAC-SHA256, keyed with the secret, of msgID, the Unix
// seconds of at and body, joined by dots.
func Sign(secret, msgID string, at time.Time, body []byte) (string, error) {
	key, err := secretKey(secret)
	if err != nil {
		return "", err
	}
	return "v1," + base64.StdEncoding.EncodeToString(mac(key, msgID, strconv.FormatInt(at.Unix(), 10), body)), nil
}

func mac(key []byte, msgID, timestamp string, body []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msgID + "." + timestamp + "."))
	h.Write(body)
	return h.Sum(nil)
}

// Verify checks a received message the way a receiver should: the headers
// are present, webhook-timestamp is within tolerance of now (DefaultTolerance
// when tolerance is not positive), and one of the v1 signatures of
// webhook-signature matches body under secret. Signatures of other
// versions are ignored.
func Verify(secret string, header http.Header, body []byte, tolerance time.Duration) error {
	key, err := secretKey(secret)
	if err != nil {
		return err
	}
	msgID, ts, sigs := header.Get(HeaderID), header.Get(HeaderTimestamp), header.Get(HeaderSignature)
	if msgID == "" || ts == "" || sigs == "" {
		return ErrMissingHeaders
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %q", ErrTimestamp, ts)
	}
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	if skew := time.Since(time.Unix(secs, 0)).Abs(); skew > tolerance {
		return fmt.Errorf("%w: %s away from now", ErrTimestamp, skew.Round(time.Second))
	}
	want := mac(key, msgID, ts, body)
	for _, sig := range strings.Fields(sigs) {
		version, value, ok := strings.Cut(sig, ",")
		if !ok || version != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(value)
		if err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return ErrSignature
}
