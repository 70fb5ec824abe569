package jpeg

import "bytes"

// tailWalk is walk from the first SOS on, fed the asset's bytes in order
// instead of reading them: it checks a speculative segment list (see
// headerSegments) from the bytes the operation's hash pass reads anyway.
// It implements asset.Follower. Wherever walk would fail, and wherever the
// full list would differ from the quick one in what callers use (the
// segments up to the SOS, every APP0 and APP11), the speculation does not
// hold; the operation is then redone with walk itself,
// which gives the exact result or error, so tailWalk may bail out on
// anything unusual.
type tailWalk struct {
	sos   segment // the quick list's last segment, its entropy unknown
	size  int64
	pos   int64 // offset of the next byte fed
	count int   // non-RST segments so far, SOI included, as walk counts
	segs  []segment

	state    tailState
	seg      segment // segment being parsed
	lenBytes []byte  // length field bytes gathered so far
	skip     int64   // content bytes of seg still to pass
	entropy  int64   // start of seg's entropy-coded data
	run      int64   // start of a 0xFF run inside entropy data
	done     bool
	fail     bool
}

type tailState int

const (
	tailSearch     tailState = iota // between segments: looking for 0xFF
	tailMarker                      // after one or more 0xFF: the marker byte is next
	tailLength                      // reading the length field
	tailSkip                        // passing over a segment's contents
	tailEntropy                     // in entropy-coded data
	tailEntropyFFs                  // after 0xFF inside entropy-coded data
)

// newTailWalk returns the follower of a quick list ending with the first
// SOS: it starts at that SOS, with walk's count as it stood there.
func newTailWalk(quick []segment, size int64) *tailWalk {
	sos := quick[len(quick)-1]
	return &tailWalk{sos: sos, size: size, pos: sos.start, count: len(quick)}
}

// Start implements asset.Follower.
func (t *tailWalk) Start() int64 { return t.sos.start }

// Write implements asset.Follower.
func (t *tailWalk) Write(p []byte) bool {
	for len(p) > 0 && !t.done {
		n := t.step(p)
		p = p[n:]
		t.pos += int64(n)
	}
	if !t.done && t.pos >= t.size {
		t.end()
	}
	return t.done
}

// Holds implements asset.Follower.
func (t *tailWalk) Holds() bool {
	if !t.done {
		t.end()
	}
	return !t.fail
}

func (t *tailWalk) bail() { t.done, t.fail = true, true }

// end is walk reaching the end of the asset in the current state.
func (t *tailWalk) end() {
	switch t.state {
	case tailSearch, tailMarker: // nothing, or a lone 0xFF run at the end
	case tailEntropy, tailEntropyFFs:
		t.seg.entropy = t.size - t.entropy
		t.emit()
	default: // a truncated length field or segment: walk fails
		t.fail = true
	}
	t.done = true
}

// step consumes a prefix of p (at offset t.pos) and returns its length.
func (t *tailWalk) step(p []byte) int {
	switch t.state {
	case tailSearch:
		i := bytes.IndexByte(p, 0xFF)
		if i < 0 {
			return len(p)
		}
		if t.count > maxSegments-1 {
			t.bail() // walk's bound: let it report
			return i
		}
		t.seg = segment{start: t.pos + int64(i)}
		t.state = tailMarker
		return i + 1
	case tailMarker:
		t.marker(p[0])
		return 1
	case tailLength:
		need := 2 - len(t.lenBytes)
		n := min(need, len(p))
		t.lenBytes = append(t.lenBytes, p[:n]...)
		if len(t.lenBytes) == 2 {
			t.lengthRead()
		}
		return n
	case tailSkip:
		n := int(min(t.skip, int64(len(p))))
		t.skip -= int64(n)
		if t.skip == 0 {
			t.contentsPassed(t.pos + int64(n))
		}
		return n
	case tailEntropy:
		i := bytes.IndexByte(p, 0xFF)
		if i < 0 {
			return len(p)
		}
		t.run = t.pos + int64(i)
		t.state = tailEntropyFFs
		return i + 1
	default: // tailEntropyFFs
		switch c := p[0]; c {
		case 0xFF:
		case 0x00:
			t.state = tailEntropy
		default:
			// The data ends at the run; the run and c are the next
			// segment's fill bytes and marker, as walk finds them there.
			t.seg.entropy = t.run - t.entropy
			t.emit()
			if t.done {
				return 1
			}
			t.seg = segment{start: t.run}
			t.marker(c)
		}
		return 1
	}
}

// marker handles the byte after a 0xFF run that started at t.seg.start and
// whose last 0xFF is at t.pos-1.
func (t *tailWalk) marker(c byte) {
	at := t.pos - 1
	switch {
	case c == 0xFF:
		return // fill byte: the run goes on
	case c == 0x00:
		t.state = tailSearch // a stuffed byte outside a scan
		return
	}
	t.seg.marker, t.seg.fill, t.seg.length = c, at-t.seg.start, 2
	if standalone(c) {
		t.contentsPassed(at + 2)
		return
	}
	t.lenBytes = t.lenBytes[:0]
	t.state = tailLength
}

// lengthRead checks the length field of t.seg, as walk does.
func (t *tailWalk) lengthRead() {
	lp := int64(t.lenBytes[0])<<8 | int64(t.lenBytes[1])
	at := t.seg.at()
	if lp < 2 || at+2+lp > t.size {
		t.bail()
		return
	}
	t.seg.length = 2 + lp
	if t.skip = lp - 2; t.skip == 0 {
		t.contentsPassed(at + t.seg.length)
		return
	}
	t.state = tailSkip
}

// contentsPassed is called at offset off, just past t.seg's contents.
func (t *tailWalk) contentsPassed(off int64) {
	m := t.seg.marker
	if m == markerSOS || (m >= markerRST0 && m <= markerRST7) {
		t.entropy = off
		t.state = tailEntropy
		if off >= t.size {
			t.end()
		}
		return
	}
	t.emit()
}

// emit ends t.seg as walk hands it to fn, and decides what it means for the
// speculation.
func (t *tailWalk) emit() {
	seg := t.seg
	t.state = tailSearch
	if seg.marker < markerRST0 || seg.marker > markerRST7 {
		t.count++
		t.segs = append(t.segs, seg)
		if len(t.segs) == 1 {
			// walk's SOS: the same as the quick list's, but for its data.
			q := t.sos
			q.entropy = seg.entropy
			if q != seg {
				t.bail()
				return
			}
		} else if seg.marker == markerAPP0 || seg.marker == markerAPP11 {
			t.bail() // what sameUse rejects
			return
		}
	}
	if seg.marker == markerEOI {
		t.done = true
	}
}
