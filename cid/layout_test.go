package cid

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"os"
	"runtime"
	"testing"

	gocid "github.com/ipfs/go-cid"
	"github.com/multiformats/go-multihash"

	"provgraph/internal/testenv"
)

// The reference below rebuilds a file DAG the way boxo's balanced layout
// describes it, recursively and all in memory, with a generic protobuf
// writer: it shares no code with the streaming Builder, so agreeing on
// small chunk sizes and widths checks the shape of deep trees that the
// vectors (at most depth 2) cannot reach.

func pbVarint(b []byte, field int, v uint64) []byte {
	b = binary.AppendUvarint(b, uint64(field)<<3)
	return binary.AppendUvarint(b, v)
}

func pbBytes(b []byte, field int, v []byte) []byte {
	b = binary.AppendUvarint(b, uint64(field)<<3|2)
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

type refNode struct {
	cid      gocid.Cid
	tsize    uint64
	fileSize uint64
}

type reference struct {
	lay    layout
	chunks [][]byte
	next   int
}

func (r *reference) block(codec uint64, data []byte) gocid.Cid {
	mh, err := multihash.Sum(data, multihash.SHA2_256, -1)
	if err != nil {
		panic(err)
	}
	if r.lay.version == 0 {
		return gocid.NewCidV0(mh)
	}
	return gocid.NewCidV1(codec, mh)
}

// leaf makes the leaf of one chunk; nil is the leaf of the empty file.
func (r *reference) leaf(chunk []byte) refNode {
	if r.lay.rawLeaves {
		return refNode{r.block(gocid.Raw, chunk), uint64(len(chunk)), uint64(len(chunk))}
	}
	fs := pbVarint(nil, 1, 2)
	if chunk != nil {
		fs = pbBytes(fs, 2, chunk)
	}
	fs = pbVarint(fs, 3, uint64(len(chunk)))
	node := pbBytes(nil, 1, fs)
	return refNode{r.block(gocid.DagProtobuf, node), uint64(len(node)), uint64(len(chunk))}
}

func (r *reference) node(children []refNode) refNode {
	var node, fs []byte
	var tsize, fileSize uint64
	for _, c := range children {
		l := pbBytes(nil, 1, c.cid.Bytes())
		l = pbBytes(l, 2, nil)
		l = pbVarint(l, 3, c.tsize)
		node = pbBytes(node, 2, l)
		tsize += c.tsize
		fileSize += c.fileSize
	}
	fs = pbVarint(fs, 1, 2)
	fs = pbVarint(fs, 3, fileSize)
	for _, c := range children {
		fs = pbVarint(fs, 4, c.fileSize)
	}
	node = pbBytes(node, 1, fs)
	return refNode{r.block(gocid.DagProtobuf, node), tsize + uint64(len(node)), fileSize}
}

// fill adds subtrees of the given depth to children while there is room and
// data, then closes them into a node.
func (r *reference) fill(children []refNode, depth int) refNode {
	for len(children) < r.lay.maxLinks && r.next < len(r.chunks) {
		if depth == 1 {
			children = append(children, r.leaf(r.chunks[r.next]))
			r.next++
		} else {
			children = append(children, r.fill(nil, depth-1))
		}
	}
	return r.node(children)
}

func referenceCID(lay layout, data []byte) gocid.Cid {
	r := &reference{lay: lay}
	for len(data) > 0 {
		n := min(len(data), lay.chunkSize)
		r.chunks = append(r.chunks, data[:n])
		data = data[n:]
	}
	if len(r.chunks) == 0 {
		return r.leaf(nil).cid
	}
	root := r.leaf(r.chunks[0])
	r.next = 1
	for depth := 1; r.next < len(r.chunks); depth++ {
		root = r.fill([]refNode{root}, depth)
	}
	return root.cid
}

// streamCID feeds data to a Builder in writes whose sizes cycle through
// steps (a zero step writes nothing, as callers may).
func streamCID(lay layout, data []byte, steps []byte) gocid.Cid {
	b := newBuilder(lay)
	for i := 0; len(data) > 0; i++ {
		n := len(data)
		if len(steps) > 0 {
			n = min(n, int(steps[i%len(steps)]))
		}
		b.Write(data[:n])
		data = data[n:]
	}
	return b.CID()
}

func testData(n int) []byte {
	data := make([]byte, n)
	for i := range data {
		data[i] = byte(i*7 + i>>8)
	}
	return data
}

// TestBuilderMatchesReference compares every file size up to a few full
// trees of small layouts, across depth changes (maxLinks^d and one more).
func TestBuilderMatchesReference(t *testing.T) {
	data := testData(400)
	for _, lay := range []layout{
		{version: 1, rawLeaves: true, chunkSize: 1, maxLinks: 2},
		{version: 1, rawLeaves: true, chunkSize: 3, maxLinks: 3},
		{version: 0, chunkSize: 1, maxLinks: 3},
		{version: 0, chunkSize: 4, maxLinks: 2},
		{version: 1, rawLeaves: false, chunkSize: 2, maxLinks: 4},
	} {
		for n := 0; n <= len(data); n++ {
			want := referenceCID(lay, data[:n])
			for _, steps := range [][]byte{nil, {1}, {0, 5, 2}} {
				if got := streamCID(lay, data[:n], steps); !got.Equals(want) {
					t.Fatalf("%+v, %d bytes, writes %v: Builder %s, reference %s", lay, n, steps, got, want)
				}
			}
		}
	}
}

// FuzzBuilder checks the streaming Builder against the reference for any
// content, small layout and split of the writes.
func FuzzBuilder(f *testing.F) {
	for _, rel := range []string{"c2pa/gif/ts-c2pa.gif", "c2pa/c2pa/rs-compat-0.33.0-jpeg-embedded.c2pa"} {
		data, err := os.ReadFile(testenv.Fixture(f, rel))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, uint8(60), uint8(3), false, []byte{100, 7})
		f.Add(data, uint8(255), uint8(0), true, []byte{})
	}
	f.Add([]byte{}, uint8(0), uint8(0), true, []byte{})
	f.Add([]byte("hello\n"), uint8(2), uint8(1), false, []byte{1})
	f.Fuzz(func(t *testing.T, data []byte, chunk, width uint8, v0 bool, steps []byte) {
		lay := layout{version: 1, rawLeaves: true, chunkSize: 1 + int(chunk), maxLinks: 2 + int(width)%8}
		if v0 {
			lay.version, lay.rawLeaves = 0, false
		}
		if got, want := streamCID(lay, data, steps), referenceCID(lay, data); !got.Equals(want) {
			t.Fatalf("%+v, %d bytes: Builder %s, reference %s", lay, len(data), got, want)
		}
	})
}

// TestBuilderMemoryIsConstant checks that the heap a Builder allocates does
// not grow with the input: a few levels of pending links and one node's
// encoding, whatever the size.
func TestBuilderMemoryIsConstant(t *testing.T) {
	buf := testData(1 << 20)
	for _, opts := range []Options{{Version: 0}, {Version: 1}, {Profile: UnixFSv12025, Version: 1}} {
		allocated := func(size int) uint64 {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			b, err := NewBuilder(opts)
			if err != nil {
				t.Fatal(err)
			}
			for range size / len(buf) {
				b.Write(buf)
			}
			b.CID()
			runtime.ReadMemStats(&after)
			return after.TotalAlloc - before.TotalAlloc
		}
		small, large := allocated(4<<20), allocated(96<<20)
		// The larger input may add one level of links (a few tens of KiB),
		// never anything proportional to its 24x larger size.
		if large > small+256<<10 || large > 2<<20 {
			t.Errorf("%+v: 4 MiB allocated %d bytes, 96 MiB allocated %d bytes", opts, small, large)
		}
		t.Logf("%+v: 4 MiB -> %d B, 96 MiB -> %d B allocated", opts, small, large)
	}
}

// TestFileNodeEncoding pins the bytes of a small internal node against the
// generic protobuf writer above, to show the field order in one place.
func TestFileNodeEncoding(t *testing.T) {
	links := []link{
		{digest: sha256.Sum256([]byte("a")), raw: true, tsize: 262144, fileSize: 262144},
		{digest: sha256.Sum256([]byte("b")), raw: true, tsize: 1, fileSize: 1},
	}
	got, l := appendFileNode(nil, 1, links)
	r := &reference{lay: layout{version: 1, rawLeaves: true}}
	var children []refNode
	for _, c := range links {
		mh, _ := multihash.Encode(c.digest[:], multihash.SHA2_256)
		children = append(children, refNode{gocid.NewCidV1(gocid.Raw, mh), c.tsize, c.fileSize})
	}
	want := r.node(children)
	if sha256.Sum256(got) != l.digest || !bytes.Equal(want.cid.Hash()[2:], l.digest[:]) {
		t.Errorf("node bytes differ from the reference encoding:\n got %x", got)
	}
	if l.tsize != want.tsize || l.fileSize != 262145 {
		t.Errorf("tsize %d fileSize %d, want %d and 262145", l.tsize, l.fileSize, want.tsize)
	}
	if fmt.Sprintf("%x", got[:4]) != "122c0a24" {
		t.Errorf("node starts %x, want Links first (12 2c 0a 24 …)", got[:4])
	}
}

// TestMaxFileNodeLen checks the bound on a full node with the largest sizes.
func TestMaxFileNodeLen(t *testing.T) {
	for _, n := range []int{1, 174, 1024} {
		links := make([]link, n)
		for i := range links {
			links[i].tsize, links[i].fileSize = 1<<63, 1<<53 // 10-byte varints, no overflow
		}
		got, _ := appendFileNode(nil, 1, links)
		if len(got) > maxFileNodeLen(n) {
			t.Errorf("%d links: node of %d bytes, bound %d", n, len(got), maxFileNodeLen(n))
		}
	}
}
