package jpeg

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"provgraph/internal/testenv"
)

// sameUse reports whether a list that stops at the first SOS (quick) serves
// every use of the full list (full): the same segments up to that SOS, and
// after it no APP0 (Plan's insertion point) and no APP11 (stores).
func sameUse(quick, full []segment) bool {
	if len(quick) == 0 || len(full) < len(quick) {
		return false
	}
	last := len(quick) - 1
	for i, q := range quick {
		f := full[i]
		if i == last {
			q.entropy, f.entropy = 0, 0
		}
		if q != f {
			return false
		}
	}
	for _, f := range full[len(quick):] {
		if f.marker == markerAPP0 || f.marker == markerAPP11 {
			return false
		}
	}
	return true
}

// checkTailWalk is the differential check of tailWalk against walk: fed in
// chunks of every size given, it must hold exactly when the full walk
// succeeds and sameUse holds, and then give walk's own list.
func checkTailWalk(t *testing.T, data []byte, chunks ...int) {
	t.Helper()
	r, size := bytes.NewReader(data), int64(len(data))
	full, fullErr := walkSegments(r, size, toEOI)
	quick, err := walkSegments(r, size, toScan)
	if err != errScanReached {
		// No scan: the quick walk is the full one, errors included.
		if fmt.Sprint(err) != fmt.Sprint(fullErr) || (err == nil && !slices.Equal(quick, full)) {
			t.Fatalf("walk to the scan = %v, %v; full walk = %v, %v", quick, err, full, fullErr)
		}
		return
	}
	want := fullErr == nil && sameUse(quick, full)
	for _, chunk := range chunks {
		tw := newTailWalk(quick, size)
		rest := data[tw.Start():]
		for len(rest) > 0 {
			n := min(chunk, len(rest))
			if tw.Write(rest[:n]) {
				break
			}
			rest = rest[n:]
		}
		if got := tw.Holds(); got != want {
			t.Fatalf("chunks of %d: Holds = %v; full walk %v (err %v), sameUse %v", chunk, got, full, fullErr, fullErr == nil && sameUse(quick, full))
		}
		if want {
			if got := append(slices.Clone(quick[:len(quick)-1]), tw.segs...); !slices.Equal(got, full) {
				t.Fatalf("chunks of %d: segments\n%v\nwant\n%v", chunk, got, full)
			}
		}
	}
}

func tailSeg(marker byte, payload []byte) []byte {
	b := []byte{0xFF, marker}
	b = binary.BigEndian.AppendUint16(b, uint16(len(payload)+2))
	return append(b, payload...)
}

// tailCases are the shapes after a first scan that matter to the walk.
func tailCases() map[string][]byte {
	head := slices.Concat([]byte{0xFF, 0xD8}, tailSeg(0xE0, []byte("JFIF\x00\x01\x02\x00\x00\x01\x00\x01\x00\x00")),
		tailSeg(0xDB, make([]byte, 65)), tailSeg(0xDA, []byte{1, 1, 0, 0, 63, 0}))
	eoi := []byte{0xFF, 0xD9}
	data := []byte{0x12, 0xFF, 0x00, 0x34, 0x56}
	cases := map[string][]byte{
		"baseline":             slices.Concat(head, data, eoi),
		"restart markers":      slices.Concat(head, data, []byte{0xFF, 0xD0}, data, []byte{0xFF, 0xD7}, data, eoi),
		"fill before marker":   slices.Concat(head, data, []byte{0xFF, 0xFF, 0xFF, 0xD0}, data, []byte{0xFF, 0xFF}, eoi),
		"stuffed after run":    slices.Concat(head, []byte{0xFF, 0xFF, 0x00, 0x01}, eoi),
		"progressive":          slices.Concat(head, data, tailSeg(0xC4, make([]byte, 20)), tailSeg(0xDA, []byte{1, 1, 0, 0, 63, 0}), data, eoi),
		"APP0 after scan":      slices.Concat(head, data, tailSeg(0xE0, []byte("JFIF\x00")), eoi),
		"APP11 after scan":     slices.Concat(head, data, tailSeg(0xEB, []byte("JP\x00\x01\x00\x00\x00\x01")), eoi),
		"APP11 after EOI":      slices.Concat(head, data, eoi, tailSeg(0xEB, []byte("JP\x00\x01\x00\x00\x00\x01"))),
		"no EOI":               slices.Concat(head, data),
		"scan to the end":      slices.Concat(head, data, []byte{0xFF}),
		"empty scan at end":    head,
		"lone FF at end":       slices.Concat(head, data, tailSeg(0xC4, nil), []byte{0xFF}),
		"truncated length":     slices.Concat(head, data, []byte{0xFF, 0xC4, 0x00}),
		"length past end":      slices.Concat(head, data, []byte{0xFF, 0xC4, 0xFF, 0xF0}, eoi),
		"length below two":     slices.Concat(head, data, []byte{0xFF, 0xC4, 0x00, 0x01}, eoi),
		"stuffed between segs": slices.Concat(head, data, tailSeg(0xC4, nil), []byte{0x00, 0xFF, 0x00, 0x77}, eoi),
		"SOI after scan":       slices.Concat(head, data, []byte{0xFF, 0xD8}, eoi),
		"no scan":              slices.Concat([]byte{0xFF, 0xD8}, tailSeg(0xDB, make([]byte, 65)), eoi),
	}
	return cases
}

// TestTailWalk checks tailWalk against walk on the shapes above and on
// every JPEG fixture, fed in chunks from one byte to the whole file.
func TestTailWalk(t *testing.T) {
	chunks := []int{1, 2, 3, 7, 64, 4096, 1 << 30}
	for name, data := range tailCases() {
		t.Run(name, func(t *testing.T) { checkTailWalk(t, data, chunks...) })
	}
	paths, err := filepath.Glob(filepath.Join(testenv.Fixture(t, "c2pa/jpeg"), "*"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no JPEG fixtures: %v", err)
	}
	for _, p := range paths {
		if !strings.HasSuffix(strings.ToLower(p), ".jpg") && !strings.HasSuffix(strings.ToLower(p), ".jpeg") {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(p), func(t *testing.T) { checkTailWalk(t, data, 1, 5, 4096, 1<<30) })
	}
}

// FuzzTailWalk runs the differential check on arbitrary bytes; the first
// byte picks the chunk size.
func FuzzTailWalk(f *testing.F) {
	for _, data := range tailCases() {
		f.Add(append([]byte{7}, data...))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) < 1 || len(b) > 1<<16 {
			return
		}
		checkTailWalk(t, b[1:], int(b[0])+1)
	})
}
