package cid_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"strings"
	"testing"

	gocid "github.com/ipfs/go-cid"
	"github.com/multiformats/go-multihash"

	"provgraph/cid"
)

var (
	kuboV0 = cid.Options{Profile: cid.Kubo, Version: 0}
	kuboV1 = cid.Options{Profile: cid.Kubo, Version: 1}
	v12025 = cid.Options{Profile: cid.UnixFSv12025, Version: 1}
)

// TestSumVectors checks the project's required vectors (issue 4), computed
// with Kubo's `ipfs add --cid-version=0|1`.
func TestSumVectors(t *testing.T) {
	tests := []struct {
		name   string
		input  func() io.Reader
		size   int64
		v1, v0 string
	}{
		{"empty", func() io.Reader { return strings.NewReader("") }, 0,
			"bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku", "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH"},
		{"hello", func() io.Reader { return strings.NewReader("hello\n") }, 6,
			"bafkreicysg23kiwv34eg2d7qweipxwosdo2py4ldv42nbauguluen5v6am", "QmZULkCELmmk5XNfCgTnCyFgAVxBRBXyDHGGMVoLFLiXEN"},
		{"zeros-262145", func() io.Reader { return zeros(262145) }, 262145,
			"bafybeigllfqgfpqydppr6cmv56g7ax4wyhruzswvcefv6j5kj77nzttfki", "QmbVuw4C4vcmVKqxoWtgDVobvcHrSn51qsmQmyxjk4sB2Q"},
		{"prng-1000000", func() io.Reader { return newPRNG(1000000) }, 1000000,
			"bafybeigjuh6exarkpqjiky43wmwfuk7nye3hdzy7tf4ck3dq6dkslijn6q", "QmdfRjrWgE6yHsFUwUykdtW5gvdiis2pR6pKQWPsRhnU5P"},
		{"prng-45613057-depth2", func() io.Reader { return newPRNG(45613057) }, 45613057,
			"bafybeia66p7bo5amub5wwqr27k3f6tvku7gnonqvfxc4t7sl7cgqlgpsvm", "QmZTHAdBPfcmreah17WiDAYDYtVQAXEoJKNfZkHohNP5FH"},
	}
	for _, tt := range tests {
		for _, v := range []struct {
			opts cid.Options
			want string
		}{{kuboV1, tt.v1}, {kuboV0, tt.v0}} {
			t.Run(tt.name+"/v"+string(rune('0'+v.opts.Version)), func(t *testing.T) {
				got, size, err := cid.Sum(tt.input(), v.opts)
				if err != nil {
					t.Fatal(err)
				}
				if got.String() != v.want || size != tt.size {
					t.Errorf("Sum = %s, %d bytes; want %s, %d bytes", got, size, v.want, tt.size)
				}
			})
		}
	}
}

// TestSumIPIP499Fixtures checks the fixtures IPIP-499 publishes for its two
// profiles (also asserted by Kubo's test/cli/cid_profiles_test.go). The
// large files are Kubo's seeded ChaCha20 streams; each pair is computed in
// one pass, the smaller file being a prefix of the larger.
func TestSumIPIP499Fixtures(t *testing.T) {
	small := []struct {
		name string
		opts cid.Options
		want string
	}{
		{"unixfs-v0-2015/hello-world", kuboV0, "Qmf412jQZiuVUtdgnB36FXFX7xg5V6KEbSJ4dpQuhkLyfD"},
		{"unixfs-v1-2025/hello-world", v12025, "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e"},
	}
	for _, tt := range small {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := cid.Sum(strings.NewReader("hello world"), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}

	large := []struct {
		name               string
		opts               cid.Options
		seed               string
		chunk              int64
		links              int64
		atMax, overMax     string
		skipInShortTesting bool
	}{
		{"unixfs-v0-2015", kuboV0, "v0-seed", 256 << 10, 174,
			"QmUbBALi174SnogsUzLpYbD4xPiBSFANF4iztWCsHbMKh2", "QmepeWtdmS1hHXx1oZXsPUv6bMrfRRKfZcoPPU4eEfjnbf", false},
		{"unixfs-v1-2025", v12025, "v1-2025-seed", 1 << 20, 1024,
			"bafybeihmf37wcuvtx4hpu7he5zl5qaf2ineo2lqlfrapokkm5zzw7zyhvm", "bafybeihmzokxxjqwxjcryerhp5ezpcog2wcawfryb2xm64xiakgm4a5jue", true},
	}
	for _, tt := range large {
		t.Run(tt.name+"/max-links", func(t *testing.T) {
			if tt.skipInShortTesting && testing.Short() {
				t.Skip("hashes 1025 MiB; run without -short")
			}
			atMax, err := cid.NewBuilder(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			overMax, err := cid.NewBuilder(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			src := kuboSeeded((tt.links+1)*tt.chunk, tt.seed)
			if _, err := io.Copy(io.MultiWriter(atMax, overMax), io.LimitReader(src, tt.links*tt.chunk)); err != nil {
				t.Fatal(err)
			}
			if _, err := io.Copy(overMax, src); err != nil {
				t.Fatal(err)
			}
			if got := atMax.CID().String(); got != tt.atMax {
				t.Errorf("%d chunks: got %s, want %s", tt.links, got, tt.atMax)
			}
			if got := overMax.CID().String(); got != tt.overMax {
				t.Errorf("%d chunks: got %s, want %s", tt.links+1, got, tt.overMax)
			}
		})
	}
}

// rawCID is the CIDv1 of data as one raw block.
func rawCID(t *testing.T, data []byte) gocid.Cid {
	t.Helper()
	mh, err := multihash.Sum(data, multihash.SHA2_256, -1)
	if err != nil {
		t.Fatal(err)
	}
	return gocid.NewCidV1(gocid.Raw, mh)
}

// TestSumSingleChunkIsRawLeaf checks, for both CIDv1 profiles, that a file
// of at most one chunk is addressed as a single raw block, and that one
// byte more makes a dag-pb root.
func TestSumSingleChunkIsRawLeaf(t *testing.T) {
	tests := []struct {
		opts  cid.Options
		chunk int
	}{{kuboV1, 256 << 10}, {v12025, 1 << 20}}
	for _, tt := range tests {
		t.Run(string(tt.opts.Profile), func(t *testing.T) {
			data, err := io.ReadAll(newPRNG(int64(tt.chunk) + 1))
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range []int{0, 1, tt.chunk - 1, tt.chunk} {
				got, _, err := cid.Sum(bytes.NewReader(data[:n]), tt.opts)
				if err != nil {
					t.Fatal(err)
				}
				if want := rawCID(t, data[:n]); !got.Equals(want) {
					t.Errorf("%d bytes: got %s, want raw %s", n, got, want)
				}
			}
			got, _, err := cid.Sum(bytes.NewReader(data), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got.Prefix().Codec != gocid.DagProtobuf || got.Version() != 1 {
				t.Errorf("%d bytes: got %s, want a CIDv1 dag-pb root", len(data), got)
			}
		})
	}
}

// TestBuilderMultiWriter checks the one-pass use the platform makes of a
// Builder: beside sha256 in an io.MultiWriter, fed in uneven writes, it
// gives what Sum gives, and sha256 is unaffected.
func TestBuilderMultiWriter(t *testing.T) {
	const n = 3*(256<<10) + 12345
	data, err := io.ReadAll(newPRNG(n))
	if err != nil {
		t.Fatal(err)
	}
	for _, opts := range []cid.Options{kuboV0, kuboV1, v12025} {
		want, _, err := cid.Sum(bytes.NewReader(data), opts)
		if err != nil {
			t.Fatal(err)
		}
		b, err := cid.NewBuilder(opts)
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		w := io.MultiWriter(h, b)
		rest := data
		for step := 1; len(rest) > 0; step = step*7 + 3 {
			k := min(step%100003, len(rest))
			if _, err := w.Write(rest[:k]); err != nil {
				t.Fatal(err)
			}
			rest = rest[k:]
		}
		if got := b.CID(); !got.Equals(want) {
			t.Errorf("%+v: Builder = %s, Sum = %s", opts, got, want)
		}
		if b.Size() != n {
			t.Errorf("%+v: Size = %d, want %d", opts, b.Size(), n)
		}
		if got, want := h.Sum(nil), sha256.Sum256(data); !bytes.Equal(got, want[:]) {
			t.Errorf("%+v: sha256 beside the Builder is wrong", opts)
		}
		if again := b.CID(); !again.Equals(want) {
			t.Errorf("%+v: second CID call = %s, want %s", opts, again, want)
		}
		if _, err := b.Write([]byte{1}); !errors.Is(err, cid.ErrFinished) {
			t.Errorf("%+v: Write after CID: err = %v, want ErrFinished", opts, err)
		}
	}
}

func TestOptionsErrors(t *testing.T) {
	tests := []struct {
		name  string
		opts  cid.Options
		field string
		want  error
	}{
		{"version 2", cid.Options{Version: 2}, "Version", cid.ErrUnsupportedVersion},
		{"version -1", cid.Options{Version: -1}, "Version", cid.ErrUnsupportedVersion},
		{"unknown profile", cid.Options{Profile: "trickle", Version: 1}, "Profile", cid.ErrUnknownProfile},
		{"v0 with unixfs-v1-2025", cid.Options{Profile: cid.UnixFSv12025}, "Version", cid.ErrProfileVersion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, err := range []error{
				tt.opts.Validate(),
				func() error { _, err := cid.NewBuilder(tt.opts); return err }(),
				func() error { _, _, err := cid.Sum(strings.NewReader("x"), tt.opts); return err }(),
			} {
				var oe *cid.OptionError
				if !errors.As(err, &oe) || oe.Field != tt.field || !errors.Is(err, tt.want) {
					t.Errorf("err = %v, want OptionError on %s wrapping %v", err, tt.field, tt.want)
				}
			}
		})
	}
	for _, ok := range []cid.Options{{}, kuboV0, kuboV1, v12025, {Version: 1}} {
		if err := ok.Validate(); err != nil {
			t.Errorf("Validate(%+v) = %v", ok, err)
		}
	}
}

func TestParseProfile(t *testing.T) {
	for _, p := range cid.Profiles {
		if got, err := cid.ParseProfile(string(p)); err != nil || got != p {
			t.Errorf("ParseProfile(%q) = %q, %v", p, got, err)
		}
	}
	if _, err := cid.ParseProfile("Kubo"); !errors.Is(err, cid.ErrUnknownProfile) {
		t.Errorf("ParseProfile(Kubo) err = %v, want ErrUnknownProfile", err)
	}
}

// failingReader returns data and then a read error.
type failingReader struct{ data []byte }

var errDisk = errors.New("disk on fire")

func (r *failingReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, errDisk
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestSumReadError(t *testing.T) {
	_, size, err := cid.Sum(&failingReader{data: make([]byte, 1000)}, kuboV1)
	if !errors.Is(err, errDisk) || size != 1000 {
		t.Errorf("Sum = %d bytes, %v; want 1000 bytes and the read error wrapped", size, err)
	}
}
