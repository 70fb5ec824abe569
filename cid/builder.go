package cid

import (
	"crypto/sha256"
	"fmt"
	"hash"
	"io"

	gocid "github.com/ipfs/go-cid"
	"github.com/multiformats/go-multihash"
)

// Builder computes the CID of the bytes written to it. It is an io.Writer,
// so one pass over an upload can feed it and other hashes together through
// io.MultiWriter. Memory stays constant whatever the size: at most one
// chunk (CIDv0 only; raw leaves are hashed as they stream) and, per level
// of the tree, the links of the one node still being filled.
//
// A Builder is not safe for concurrent use.
type Builder struct {
	lay    layout
	leaf   hash.Hash // hashes the leaf being filled
	chunk  []byte    // content of that leaf when it must be framed (CIDv0)
	filled int       // bytes in that leaf so far
	size   int64
	levels [][]link // levels[0] holds leaves; levels[k] nodes of height k
	block  []byte   // scratch for encoding one node
	frame  [maxLeafFraming]byte
	sum    [sha256.Size]byte
	root   gocid.Cid
	done   bool
}

// NewBuilder returns a Builder for opts, or an *OptionError.
func NewBuilder(opts Options) (*Builder, error) {
	lay, err := opts.layout()
	if err != nil {
		return nil, err
	}
	return newBuilder(lay), nil
}

func newBuilder(lay layout) *Builder {
	b := &Builder{lay: lay, leaf: sha256.New()}
	if !lay.rawLeaves {
		b.chunk = make([]byte, 0, lay.chunkSize)
	}
	return b
}

// Write adds p to the file. It fails only with ErrFinished, after CID.
func (b *Builder) Write(p []byte) (int, error) {
	if b.done {
		return 0, ErrFinished
	}
	n := len(p)
	for len(p) > 0 {
		take := min(len(p), b.lay.chunkSize-b.filled)
		if b.lay.rawLeaves {
			b.leaf.Write(p[:take])
		} else {
			b.chunk = append(b.chunk, p[:take]...)
		}
		b.filled += take
		p = p[take:]
		if b.filled == b.lay.chunkSize {
			b.closeLeaf()
		}
	}
	b.size += int64(n)
	return n, nil
}

// Size returns the number of bytes written so far.
func (b *Builder) Size() int64 { return b.size }

// CID closes the DAG and returns its root. Later calls return the same CID;
// later writes fail with ErrFinished.
func (b *Builder) CID() gocid.Cid {
	if b.done {
		return b.root
	}
	b.done = true
	if b.filled > 0 {
		b.closeLeaf()
	}
	var root link
	switch {
	case len(b.levels) == 0:
		// An empty file is one empty leaf, as boxo makes it.
		root = b.emptyLeaf()
	default:
		// Close every open node bottom-up. The top level is re-read on
		// each turn because a push may still overflow a full level and
		// add one above it.
		for k := 0; ; k++ {
			top := k == len(b.levels)-1
			if top && len(b.levels[k]) == 1 {
				root = b.levels[k][0] // a one-chunk file is its leaf
				break
			}
			node := b.closeNode(k)
			if top {
				root = node
				break
			}
			b.push(k+1, node)
		}
	}
	b.root = b.toCID(&root)
	b.levels = nil
	return b.root
}

// closeLeaf hashes the leaf being filled and adds it to the bottom level.
func (b *Builder) closeLeaf() {
	l := link{raw: b.lay.rawLeaves, tsize: uint64(b.filled), fileSize: uint64(b.filled)}
	if !b.lay.rawLeaves {
		frame, split := leafFraming(b.frame[:0], len(b.chunk))
		b.leaf.Write(frame[:split])
		b.leaf.Write(b.chunk)
		b.leaf.Write(frame[split:])
		l.tsize = uint64(len(frame) + len(b.chunk))
		b.chunk = b.chunk[:0]
	}
	// Summing into the Builder's array, not l's, keeps l off the heap.
	copy(l.digest[:], b.leaf.Sum(b.sum[:0]))
	b.leaf.Reset()
	b.filled = 0
	b.push(0, l)
}

// emptyLeaf is the only leaf of an empty file.
func (b *Builder) emptyLeaf() link {
	l := link{raw: b.lay.rawLeaves}
	if b.lay.rawLeaves {
		l.digest = sha256.Sum256(nil)
		return l
	}
	frame, _ := leafFraming(b.frame[:0], 0)
	l.digest = sha256.Sum256(frame)
	l.tsize = uint64(len(frame))
	return l
}

// push adds l to level k. A full level is closed into a node only when one
// more link arrives for it: until then it may still become the root, which
// is how boxo's balanced layout grows the tree upwards.
func (b *Builder) push(k int, l link) {
	if k == len(b.levels) {
		b.levels = append(b.levels, make([]link, 0, b.lay.maxLinks))
	}
	if len(b.levels[k]) == b.lay.maxLinks {
		b.push(k+1, b.closeNode(k))
	}
	b.levels[k] = append(b.levels[k], l)
}

// closeNode encodes the links of level k as one node, empties the level and
// returns the link to the node.
func (b *Builder) closeNode(k int) link {
	if b.block == nil {
		b.block = make([]byte, 0, maxFileNodeLen(b.lay.maxLinks))
	}
	var l link
	b.block, l = appendFileNode(b.block[:0], b.lay.version, b.levels[k])
	b.levels[k] = b.levels[k][:0]
	return l
}

// toCID turns the root link into a CID with go-cid and go-multihash.
func (b *Builder) toCID(l *link) gocid.Cid {
	mh := make(multihash.Multihash, 0, 2+sha256.Size)
	mh = append(mh, multihash.SHA2_256, sha256.Size)
	mh = append(mh, l.digest[:]...)
	if b.lay.version == 0 {
		return gocid.NewCidV0(mh)
	}
	codec := uint64(gocid.DagProtobuf)
	if l.raw {
		codec = gocid.Raw
	}
	return gocid.NewCidV1(codec, mh)
}

// Sum reads r to its end and returns the CID of its bytes and their count.
// Options errors are *OptionError; read errors are wrapped.
func Sum(r io.Reader, opts Options) (gocid.Cid, int64, error) {
	b, err := NewBuilder(opts)
	if err != nil {
		return gocid.Undef, 0, err
	}
	buf := make([]byte, 128<<10)
	if _, err := io.CopyBuffer(b, r, buf); err != nil {
		return gocid.Undef, b.Size(), fmt.Errorf("cid: reading input: %w", err)
	}
	return b.CID(), b.Size(), nil
}
