package cose_test

import (
	"bytes"
	"context"
	"crypto"
	"encoding/pem"
	"errors"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"provgraph/c2pa/cose"
	"provgraph/c2pa/cose/cosetest"
	"provgraph/c2pa/devsigner"
	"provgraph/internal/testenv"
)

func loadKey(t *testing.T, alg string) (crypto.Signer, [][]byte) {
	t.Helper()
	keyPEM, err := os.ReadFile(testenv.Fixture(t, "certs/c2pa-rs/"+alg+".pem"))
	if err != nil {
		t.Fatal(err)
	}
	k, err := devsigner.ParsePrivateKeyPEM(keyPEM)
	if err != nil {
		t.Fatalf("%s.pem: %v", alg, err)
	}
	chainPEM, err := os.ReadFile(testenv.Fixture(t, "certs/c2pa-rs/"+alg+".pub"))
	if err != nil {
		t.Fatal(err)
	}
	var chain [][]byte
	for rest := chainPEM; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		chain = append(chain, b.Bytes)
	}
	return k, chain
}

var testClaim = []byte{0xa2, 0x63, 'a', 'l', 'g', 0x66, 's', 'h', 'a', '2', '5', '6', 0x61, 'x', 0x01}

// TestSignRoundTrip signs with each c2pa-rs test key and checks the output
// size, structure and signature.
func TestSignRoundTrip(t *testing.T) {
	tests := []struct {
		key  string
		want cose.Algorithm
	}{
		{"es256", cose.ES256}, {"es384", cose.ES384}, {"es512", cose.ES512},
		{"ps256", cose.PS256}, {"ps384", cose.PS384}, {"ps512", cose.PS512},
		{"ed25519", cose.EdDSA},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			signer, chain := loadKey(t, tt.key)
			// c2pa-rs's PS384/PS512 keys are plain RSA keys: ask for the alg.
			alg := cose.Algorithm(0)
			if tt.want == cose.PS384 || tt.want == cose.PS512 {
				alg = tt.want
			}
			reserve := cose.ReserveSize(signer.Public(), chain, false, 0)
			out, err := cose.Sign(context.Background(), signer, testClaim, cose.SignOptions{Algorithm: alg, Chain: chain, ReserveSize: reserve})
			if err != nil {
				t.Fatal(err)
			}
			if len(out) != reserve {
				t.Fatalf("len = %d, want reserve %d", len(out), reserve)
			}
			s, err := cose.Parse(out)
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := s.Algorithm(); got != tt.want {
				t.Errorf("alg = %v, want %v", got, tt.want)
			}
			got, err := s.CertificateChain()
			if err != nil || len(got) != len(chain) || !bytes.Equal(got[0], chain[0]) {
				t.Errorf("chain = %d certs, %v", len(got), err)
			}
			if _, ok := s.Protected.Get(cose.IntLabel(33)); !ok {
				t.Error("x5chain not under label 33 in the protected header")
			}
			if !s.Detached {
				t.Error("payload not detached")
			}
			if err := s.Verify(testClaim); err != nil {
				t.Errorf("Verify: %v", err)
			}
			if err := s.Verify(append(testClaim[:len(testClaim):len(testClaim)], 0)); !errors.Is(err, cose.ErrSignatureMismatch) {
				t.Errorf("Verify(changed claim) = %v, want ErrSignatureMismatch", err)
			}
		})
	}
}

// TestSignPadsEveryGap pads the same signature to a run of reserve sizes
// around the awkward CBOR length boundaries (pad needing pad2).
func TestSignPadsEveryGap(t *testing.T) {
	signer, chain := loadKey(t, "ed25519") // deterministic signatures
	bare, err := cose.Sign(context.Background(), signer, testClaim, cose.SignOptions{Chain: chain})
	if err != nil {
		t.Fatal(err)
	}
	for extra := 0; extra < 300; extra++ {
		size := len(bare) + extra
		out, err := cose.Sign(context.Background(), signer, testClaim, cose.SignOptions{Chain: chain, ReserveSize: size})
		if extra > 0 && extra < 5 {
			if !errors.Is(err, cose.ErrReserveTooSmall) {
				t.Errorf("gap %d: err = %v, want ErrReserveTooSmall", extra, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("gap %d: %v", extra, err)
		}
		if len(out) != size {
			t.Fatalf("gap %d: len %d, want %d", extra, len(out), size)
		}
		s, err := cose.Parse(out)
		if err != nil {
			t.Fatalf("gap %d: %v", extra, err)
		}
		if err := s.Verify(testClaim); err != nil {
			t.Fatalf("gap %d: %v", extra, err)
		}
	}
	if _, err := cose.Sign(context.Background(), signer, testClaim, cose.SignOptions{Chain: chain, ReserveSize: len(bare) - 1}); !errors.Is(err, cose.ErrReserveTooSmall) {
		t.Errorf("smaller reserve: %v, want ErrReserveTooSmall", err)
	}
}

func TestSignRejectsForeignKey(t *testing.T) {
	signer, _ := loadKey(t, "es256")
	_, chain := loadKey(t, "es384")
	_, err := cose.Sign(context.Background(), signer, testClaim, cose.SignOptions{Chain: chain})
	if !errors.Is(err, cose.ErrKeyMismatch) {
		t.Errorf("err = %v, want ErrKeyMismatch", err)
	}
}

// TestSignTimeStamped signs with sigTst2 and sigTst through the RFC 3161
// HTTP client and checks the stored token verifies against the right bytes.
func TestSignTimeStamped(t *testing.T) {
	tsa, err := cosetest.NewTSA(time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(tsa)
	defer srv.Close()
	client := &cose.TSAClient{URL: srv.URL, HTTPClient: srv.Client()}
	signer, chain := loadKey(t, "es256")
	for _, version := range []int{1, 2} {
		reserve := cose.ReserveSize(signer.Public(), chain, true, 0)
		out, err := cose.Sign(context.Background(), signer, testClaim, cose.SignOptions{
			Chain: chain, ReserveSize: reserve, TimeStamper: client, TimeStampVersion: version,
		})
		if err != nil {
			t.Fatalf("v%d: %v", version, err)
		}
		s, err := cose.Parse(out)
		if err != nil || len(out) != reserve {
			t.Fatalf("v%d: %v, len %d want %d", version, err, len(out), reserve)
		}
		h, ok, err := s.TimeStampHeader()
		if !ok || err != nil || h.Version != version || len(h.Tokens) != 1 {
			t.Fatalf("v%d: header %+v %v %v", version, h, ok, err)
		}
		ts, err := cose.ParseTimeStamp(h.Tokens[0])
		if err != nil {
			t.Fatalf("v%d: %v", version, err)
		}
		if err := ts.Verify(s.CounterSignatureData(version, testClaim)); err != nil {
			t.Errorf("v%d: Verify: %v", version, err)
		}
		if err := ts.Verify(s.CounterSignatureData(3-version, testClaim)); !errors.Is(err, cose.ErrTimeStampMismatch) {
			t.Errorf("v%d: Verify(other version's data) = %v, want mismatch", version, err)
		}
		if ts.SignerName() != "provgraph test TSA" || len(ts.Chain) != 2 {
			t.Errorf("v%d: signer %q chain %d", version, ts.SignerName(), len(ts.Chain))
		}
	}
}

// TestTSAClientChecksResponses refuses a tampered imprint and a wrong nonce.
func TestTSAClientChecksResponses(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(*cosetest.TSA)
	}{
		{"tampered imprint", func(t *cosetest.TSA) { t.Tamper = true }},
		{"wrong nonce", func(t *cosetest.TSA) { t.WrongNonce = true }},
	} {
		tsa, err := cosetest.NewTSA(time.Now().Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		tc.setup(tsa)
		srv := httptest.NewServer(tsa)
		client := &cose.TSAClient{URL: srv.URL, HTTPClient: srv.Client()}
		_, err = client.TimeStamp(context.Background(), []byte("data"))
		srv.Close()
		if !errors.Is(err, cose.ErrTSA) || !errors.Is(err, cose.ErrTimeStampMismatch) {
			t.Errorf("%s: err = %v, want ErrTSA wrapping ErrTimeStampMismatch", tc.name, err)
		}
	}
}
