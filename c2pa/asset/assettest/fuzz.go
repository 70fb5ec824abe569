package assettest

import (
	"bytes"
	"errors"
	"testing"

	"provgraph/c2pa/asset"
	"provgraph/c2pa/jumbf"
)

// Store is a small valid manifest store of odd length (so RIFF pads it).
var Store = jumbf.NewSuperBox(jumbf.ManifestStore, "c2pa", nil,
	jumbf.NewSuperBox(jumbf.StandardManifest, "urn:c2pa:fuzz", nil,
		jumbf.NewContentBox("cbor", []byte{0xA1, 0x61, 0x61, 0x19, 0x01, 0x00}))).Bytes() // {"a": 256}

// Fuzz runs every Handler method of h on each input: none may panic, every
// error must be typed (a *asset.FormatError or ErrNoStore), and whatever
// Plan accepts must embed Store so that ReadStore finds it again, with the
// exclusion over the carrier and HashExcluding agreeing with HashRanges.
func Fuzz(f *testing.F, h asset.Handler) {
	f.Fuzz(func(t *testing.T, data []byte) {
		r, size := bytes.NewReader(data), int64(len(data))
		typed := func(what string, err error) {
			var fe *asset.FormatError
			if err != nil && !errors.As(err, &fe) && !errors.Is(err, asset.ErrNoStore) {
				t.Fatalf("%s: untyped error %T: %v", what, err, err)
			}
		}
		_, err := h.ReadStore(r, size)
		typed("ReadStore", err)
		_, err = h.RemoteURL(r, size)
		typed("RemoteURL", err)
		_, err = h.BoxMap(r, size)
		typed("BoxMap", err)
		p, err := h.Plan(r, size, len(Store))
		typed("Plan", err)
		if err != nil {
			return
		}
		var out bytes.Buffer
		if _, err := p.WriteTo(&out, r, Store); err != nil {
			t.Fatal(err)
		}
		got, err := h.ReadStore(bytes.NewReader(out.Bytes()), int64(out.Len()))
		if err != nil || !bytes.Equal(got, Store) {
			t.Fatalf("store not read back from the planned output: %v", err)
		}
		if p.OutputSize != int64(out.Len()) || len(p.Exclusions) == 0 || p.Exclusions[0] != p.Carrier {
			t.Fatalf("plan size %d, wrote %d; exclusions %v", p.OutputSize, out.Len(), p.Exclusions)
		}
	})
}
