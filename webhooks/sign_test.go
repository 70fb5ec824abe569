package webhooks_test

import (
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"provgraph/webhooks"
)

// TestSignKnownAnswer checks Sign against the example of the Standard
// Webhooks specification.
func TestSignKnownAnswer(t *testing.T) {
	got, err := webhooks.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
		time.Unix(1614265330, 0), []byte(`{"test": 2432232314}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
}

func TestVerify(t *testing.T) {
	const (
		secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
		other  = "whsec_c2VjcmV0IG9mIGFub3RoZXIgd2ViaG9vaw=="
		msgID  = "msg_1_2"
	)
	body := []byte(`{"event":"batch.complete"}`)
	now := time.Now()
	signed := func(secret string, at time.Time, body []byte) http.Header {
		sig, err := webhooks.Sign(secret, msgID, at, body)
		if err != nil {
			t.Fatal(err)
		}
		h := http.Header{}
		h.Set(webhooks.HeaderID, msgID)
		h.Set(webhooks.HeaderTimestamp, strconv.FormatInt(at.Unix(), 10))
		h.Set(webhooks.HeaderSignature, sig)
		return h
	}
	with := func(h http.Header, key, value string) http.Header {
		h.Set(key, value)
		return h
	}
	tests := []struct {
		name      string
		secret    string
		header    http.Header
		body      []byte
		tolerance time.Duration
		want      error
	}{
		{"valid", secret, signed(secret, now, body), body, 0, nil},
		{"one of several signatures", secret,
			with(signed(secret, now, body), webhooks.HeaderSignature,
				"v1,AAAA v1a,ignored "+signed(secret, now, body).Get(webhooks.HeaderSignature)), body, 0, nil},
		{"wrong secret", other, signed(secret, now, body), body, 0, webhooks.ErrSignature},
		{"tampered body", secret, signed(secret, now, body), []byte(`{"event":"sign.complete"}`), 0, webhooks.ErrSignature},
		{"other message id", secret, with(signed(secret, now, body), webhooks.HeaderID, "msg_1_3"), body, 0, webhooks.ErrSignature},
		{"signature of another version only", secret, with(signed(secret, now, body), webhooks.HeaderSignature, "v2,"+signed(secret, now, body).Get(webhooks.HeaderSignature)[3:]), body, 0, webhooks.ErrSignature},
		{"stale timestamp", secret, signed(secret, now.Add(-10*time.Minute), body), body, 0, webhooks.ErrTimestamp},
		{"future timestamp", secret, signed(secret, now.Add(10*time.Minute), body), body, 0, webhooks.ErrTimestamp},
		{"old timestamp within a wider tolerance", secret, signed(secret, now.Add(-10*time.Minute), body), body, time.Hour, nil},
		{"timestamp not a number", secret, with(signed(secret, now, body), webhooks.HeaderTimestamp, "yesterday"), body, 0, webhooks.ErrTimestamp},
		{"no signature", secret, with(signed(secret, now, body), webhooks.HeaderSignature, ""), body, 0, webhooks.ErrMissingHeaders},
		{"malformed secret", "whsec_not base64!", signed(secret, now, body), body, 0, webhooks.ErrInvalidSecret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := webhooks.Verify(tt.secret, tt.header, tt.body, tt.tolerance)
			if !errors.Is(err, tt.want) {
				t.Errorf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestRetryWait(t *testing.T) {
	tests := []struct {
		attempt int
		want    time.Duration
	}{
		{1, 10 * time.Second},
		{2, 20 * time.Second},
		{3, 40 * time.Second},
		{9, 2560 * time.Second},
		{10, time.Hour},
		{1000, time.Hour},
	}
	for _, tt := range tests {
		if got := webhooks.RetryWait(10*time.Second, tt.attempt); got != tt.want {
			t.Errorf("RetryWait(10s, %d) = %s, want %s", tt.attempt, got, tt.want)
		}
	}
}
