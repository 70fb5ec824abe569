package cid_test

import (
	"crypto/sha256"
	"io"
	"strconv"

	"golang.org/x/crypto/chacha20"
)

// prngReader streams prng(n) of the project's test vectors: the first n
// bytes of sha256("provgraph-0") ‖ sha256("provgraph-1") ‖ … with the
// counter in ASCII decimal.
type prngReader struct {
	remaining int64
	counter   int
	block     [sha256.Size]byte
	pos       int
}

func newPRNG(n int64) *prngReader { return &prngReader{remaining: n, pos: sha256.Size} }

func (r *prngReader) Read(p []byte) (int, error) {
	if r.remaining <= 0 {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), r.remaining)]
	n := 0
	for n < len(p) {
		if r.pos == sha256.Size {
			r.block = sha256.Sum256([]byte("provgraph-" + strconv.Itoa(r.counter)))
			r.counter++
			r.pos = 0
		}
		c := copy(p[n:], r.block[r.pos:])
		r.pos += c
		n += c
	}
	r.remaining -= int64(n)
	return n, nil
}

// kuboSeeded streams the deterministic data of Kubo's CLI test harness
// (testutils.DeterministicRandomReader, used for the IPIP-499 fixtures):
// the ChaCha20 key stream with key sha256(seed) and an all-zero nonce.
func kuboSeeded(n int64, seed string) io.Reader {
	key := sha256.Sum256([]byte(seed))
	var nonce [chacha20.NonceSize]byte
	c, err := chacha20.NewUnauthenticatedCipher(key[:], nonce[:])
	if err != nil {
		panic(err) // key and nonce have the sizes chacha20 requires
	}
	return io.LimitReader(&keyStream{c: c}, n)
}

type keyStream struct{ c *chacha20.Cipher }

func (k *keyStream) Read(p []byte) (int, error) {
	clear(p)
	k.c.XORKeyStream(p, p)
	return len(p), nil
}

// zeros streams n zero bytes.
func zeros(n int64) io.Reader { return io.LimitReader(zeroReader{}, n) }

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
