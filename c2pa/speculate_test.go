package c2pa_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"testing"

	"provgraph/c2pa"
	"provgraph/c2pa/asset"
)

// headerSegmentsOf returns the offsets and lengths of the marker segments
// between SOI and the first SOS of a well-formed JPEG.
func headerSegmentsOf(t *testing.T, data []byte) (segs [][2]int, sos int) {
	t.Helper()
	for pos := 2; pos+4 <= len(data); {
		if data[pos] != 0xFF {
			t.Fatalf("no marker at %d", pos)
		}
		if data[pos+1] == 0xDA {
			return segs, pos
		}
		n := 2 + int(binary.BigEndian.Uint16(data[pos+2:]))
		segs = append(segs, [2]int{pos, n})
		pos += n
	}
	t.Fatal("no SOS")
	return nil, 0
}

// beforeEOI returns data with extra inserted just before its final EOI, that
// is after the entropy-coded data of its scan.
func beforeEOI(data, extra []byte) []byte {
	out := append([]byte{}, data[:len(data)-2]...)
	out = append(out, extra...)
	return append(out, 0xFF, 0xD9)
}

// signBoth signs in into a file (written during the hash pass, so a wrong
// guess is rewritten and cut) and into a plain io.Writer (written after the
// guesses are checked), and returns the two outputs or the two errors.
func signBoth(t *testing.T, in []byte, s *c2pa.Signer) (file, plain []byte, fileErr, plainErr error) {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "out.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	def := &c2pa.ManifestDefinition{Title: "speculation", NoThumbnail: true}
	fileErr = c2pa.Sign(context.Background(), bytes.NewReader(in), int64(len(in)), "image/jpeg", f, def, s)
	if file, err = os.ReadFile(f.Name()); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	plainErr = c2pa.Sign(context.Background(), bytes.NewReader(in), int64(len(in)), "image/jpeg", struct{ io.Writer }{&buf}, def, s)
	return file, buf.Bytes(), fileErr, plainErr
}

// TestSpeculationMisses signs and reads JPEGs whose structure after the
// first scan changes the result: the quick walk of the header must be found
// wrong and the work redone from the full walk, for both kinds of output.
func TestSpeculationMisses(t *testing.T) {
	s := loadTestSigner(t, "es256")
	img := image.NewGray(image.Rect(0, 0, 32, 32))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 13)
	}
	var enc bytes.Buffer
	if err := jpeg.Encode(&enc, img, nil); err != nil {
		t.Fatal(err)
	}
	plainJPEG := enc.Bytes()

	// A signed JPEG whose APP11 segments are moved after the scan: the old
	// store must be found (parentOf) and removed (one store in the output).
	var signed bytes.Buffer
	if err := c2pa.Sign(context.Background(), bytes.NewReader(plainJPEG), int64(len(plainJPEG)), "image/jpeg", &signed, &c2pa.ManifestDefinition{NoThumbnail: true}, s); err != nil {
		t.Fatal(err)
	}
	prev, err := c2pa.Read(context.Background(), bytes.NewReader(signed.Bytes()), int64(signed.Len()), "image/jpeg", c2pa.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	segs, _ := headerSegmentsOf(t, signed.Bytes())
	var app11, rest []byte
	rest = append(rest, signed.Bytes()[:2]...)
	last := 2
	for _, sg := range segs {
		seg := signed.Bytes()[sg[0] : sg[0]+sg[1]]
		rest = append(rest, signed.Bytes()[last:sg[0]]...)
		if seg[1] == 0xEB {
			app11 = append(app11, seg...)
		} else {
			rest = append(rest, seg...)
		}
		last = sg[0] + sg[1]
	}
	rest = append(rest, signed.Bytes()[last:]...)
	if len(app11) == 0 {
		t.Fatal("signed JPEG has no APP11 segment")
	}
	storeAfterScan := beforeEOI(rest, app11)

	// An APP0 after the scan moves the new store's place after it.
	app0 := []byte{0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0}
	app0AfterScan := beforeEOI(plainJPEG, app0)

	// A segment after the scan whose length runs past the end: c2pa-rs
	// cannot parse the file, so neither can we sign it.
	brokenAfterScan := beforeEOI(plainJPEG, []byte{0xFF, 0xC4, 0xFF, 0xF0})

	t.Run("store after scan", func(t *testing.T) {
		file, plain, ferr, perr := signBoth(t, storeAfterScan, s)
		if ferr != nil || perr != nil {
			t.Fatalf("Sign: file %v, writer %v", ferr, perr)
		}
		if len(file) != len(plain) {
			t.Errorf("file output is %d bytes, writer output %d", len(file), len(plain))
		}
		for name, out := range map[string][]byte{"file": file, "writer": plain} {
			rep, err := c2pa.Read(context.Background(), bytes.NewReader(out), int64(len(out)), "image/jpeg", c2pa.ReadOptions{})
			if err != nil {
				t.Fatalf("%s: Read: %v", name, err) // a kept old store would be ErrTooManyStores
			}
			checkParent(t, rep, prev)
			if fc := rep.FailureCodes(); len(fc) != 1 || fc[0] != "signingCredential.untrusted" {
				t.Errorf("%s: failures %v", name, fc)
			}
		}
	})
	t.Run("read: store after scan", func(t *testing.T) {
		rep, err := c2pa.Read(context.Background(), bytes.NewReader(storeAfterScan), int64(len(storeAfterScan)), "image/jpeg", c2pa.ReadOptions{})
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		if rep.ActiveManifest != prev.ActiveManifest {
			t.Errorf("active manifest %s, want %s", rep.ActiveManifest, prev.ActiveManifest)
		}
	})
	t.Run("read: malformed after scan", func(t *testing.T) {
		// The quick walk sees no store; the full one sees a broken file.
		_, err := c2pa.Read(context.Background(), bytes.NewReader(brokenAfterScan), int64(len(brokenAfterScan)), "image/jpeg", c2pa.ReadOptions{})
		if !errors.Is(err, c2pa.ErrInvalidAsset) {
			t.Errorf("Read = %v, want ErrInvalidAsset", err)
		}
	})
	t.Run("unreadable store after scan", func(t *testing.T) {
		// Replaced without a parent: the redone output is shorter than the
		// first one, which kept the old segment, so a file must be cut.
		payload := []byte("JP\x00\x01\x00\x00\x00\x01\x00\x00\x10\x00jumb\x00\x00\x00\x20jumdc2pa")
		payload = append(payload, make([]byte, 4000)...)
		seg := binary.BigEndian.AppendUint16([]byte{0xFF, 0xEB}, uint16(len(payload)+2))
		in := beforeEOI(plainJPEG, append(seg, payload...))
		file, plain, ferr, perr := signBoth(t, in, s)
		if ferr != nil || perr != nil {
			t.Fatalf("Sign: file %v, writer %v", ferr, perr)
		}
		if len(file) != len(plain) || len(file) > len(in) {
			t.Errorf("file output is %d bytes, writer output %d, input %d", len(file), len(plain), len(in))
		}
		for name, out := range map[string][]byte{"file": file, "writer": plain} {
			rep, err := c2pa.Read(context.Background(), bytes.NewReader(out), int64(len(out)), "image/jpeg", c2pa.ReadOptions{})
			if err != nil {
				t.Fatalf("%s: Read: %v", name, err)
			}
			if len(rep.Store.Manifests) != 1 {
				t.Errorf("%s: %d manifests, want the new one alone", name, len(rep.Store.Manifests))
			}
		}
	})
	t.Run("APP0 after scan", func(t *testing.T) {
		file, plain, ferr, perr := signBoth(t, app0AfterScan, s)
		if ferr != nil || perr != nil {
			t.Fatalf("Sign: file %v, writer %v", ferr, perr)
		}
		_, sos := headerSegmentsOf(t, app0AfterScan)
		for name, out := range map[string][]byte{"file": file, "writer": plain} {
			if len(out) != len(file) {
				t.Errorf("file output is %d bytes, writer output %d", len(file), len(out))
			}
			if i := bytes.Index(out, []byte{0xFF, 0xEB}); i < sos {
				t.Errorf("%s: first APP11 at %d, want after the scan at %d (after the last APP0)", name, i, sos)
			}
			if _, err := c2pa.Read(context.Background(), bytes.NewReader(out), int64(len(out)), "image/jpeg", c2pa.ReadOptions{}); err != nil {
				t.Errorf("%s: Read: %v", name, err)
			}
		}
	})
	t.Run("malformed after scan", func(t *testing.T) {
		_, _, ferr, perr := signBoth(t, brokenAfterScan, s)
		for name, err := range map[string]error{"file": ferr, "writer": perr} {
			if !errors.Is(err, asset.ErrMalformed) {
				t.Errorf("%s: Sign = %v, want asset.ErrMalformed", name, err)
			}
		}
	})
}
