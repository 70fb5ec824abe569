package cid

import (
	"crypto/sha256"
	"encoding/binary"
	"math/bits"
)

// The few protobuf fields of dag-pb and UnixFS that a file DAG uses, written
// by hand. Field order and presence follow what boxo writes, because any
// difference changes the block hash:
//
//	PBNode   Links (2, repeated, written first), Data (1)
//	PBLink   Hash (1), Name (2, always present, empty), Tsize (3)
//	UnixFS   Type (1) = File, Data (2, leaves only), filesize (3),
//	         blocksizes (4, repeated, not packed)
const (
	tagNodeData   = 1<<3 | 2
	tagNodeLinks  = 2<<3 | 2
	tagLinkHash   = 1<<3 | 2
	tagLinkName   = 2<<3 | 2
	tagLinkTsize  = 3<<3 | 0
	tagFSType     = 1<<3 | 0
	tagFSData     = 2<<3 | 2
	tagFSFilesize = 3<<3 | 0
	tagFSBlock    = 4<<3 | 0

	fsTypeFile = 2

	codecRaw    = 0x55
	codecDagPB  = 0x70
	mhSHA256    = 0x12
	cidV1Prefix = 0x01
)

// link is a child reference as its parent records it.
type link struct {
	digest   [sha256.Size]byte
	raw      bool   // the child is a raw block (codec raw), else dag-pb
	tsize    uint64 // bytes of every block below and including the child
	fileSize uint64 // bytes of file content below the child
}

// uvarintLen is the length of v as a protobuf varint.
func uvarintLen(v uint64) int { return (bits.Len64(v|1) + 6) / 7 }

// cidBytesLen is the length of the binary CID of a link in a DAG of version v.
func cidBytesLen(version int) int {
	if version == 0 {
		return 2 + sha256.Size
	}
	return 4 + sha256.Size
}

// appendCID appends the binary CID of l: a bare multihash for CIDv0, else
// version, codec and multihash. Both codecs fit in one varint byte.
func appendCID(b []byte, version int, l *link) []byte {
	if version != 0 {
		codec := byte(codecDagPB)
		if l.raw {
			codec = codecRaw
		}
		b = append(b, cidV1Prefix, codec)
	}
	b = append(b, mhSHA256, sha256.Size)
	return append(b, l.digest[:]...)
}

// appendFileNode appends the dag-pb block of an internal UnixFS file node
// over links and returns it with the link that refers to it.
func appendFileNode(b []byte, version int, links []link) ([]byte, link) {
	var fileSize, childTsize uint64
	fsLen := 2 // Type
	for i := range links {
		fileSize += links[i].fileSize
		childTsize += links[i].tsize
		fsLen += 1 + uvarintLen(links[i].fileSize)
	}
	fsLen += 1 + uvarintLen(fileSize)

	start := len(b)
	cidLen := cidBytesLen(version)
	for i := range links {
		l := &links[i]
		linkLen := 1 + uvarintLen(uint64(cidLen)) + cidLen + 2 + 1 + uvarintLen(l.tsize)
		b = append(b, tagNodeLinks)
		b = binary.AppendUvarint(b, uint64(linkLen))
		b = append(b, tagLinkHash)
		b = binary.AppendUvarint(b, uint64(cidLen))
		b = appendCID(b, version, l)
		b = append(b, tagLinkName, 0, tagLinkTsize)
		b = binary.AppendUvarint(b, l.tsize)
	}
	b = append(b, tagNodeData)
	b = binary.AppendUvarint(b, uint64(fsLen))
	b = append(b, tagFSType, fsTypeFile, tagFSFilesize)
	b = binary.AppendUvarint(b, fileSize)
	for i := range links {
		b = append(b, tagFSBlock)
		b = binary.AppendUvarint(b, links[i].fileSize)
	}

	block := b[start:]
	return b, link{
		digest:   sha256.Sum256(block),
		tsize:    uint64(len(block)) + childTsize,
		fileSize: fileSize,
	}
}

// maxFileNodeLen bounds the block appendFileNode writes for n links: per
// link, its field header and Hash (36-byte CID), empty Name and Tsize, plus
// a blocksizes entry; then the Data header, Type and filesize.
func maxFileNodeLen(n int) int {
	const varint = binary.MaxVarintLen64
	perLink := (1 + varint) + (1 + 1 + cidBytesLen(1)) + 2 + (1 + varint) + (1 + varint)
	return n*perLink + (1 + varint) + 2 + (1 + varint)
}

// leafFraming returns the bytes that surround n bytes of file content in a
// dag-pb UnixFS leaf (CIDv0): the block is frame[:split], the content, then
// frame[split:]. The empty file is special: boxo leaves out the UnixFS Data
// field when there is no content at all, so its block is only
// {Type: File, filesize: 0}, all of it in frame.
func leafFraming(dst []byte, n int) (frame []byte, split int) {
	size := uint64(n)
	fsLen := 2 + 1 + uvarintLen(size)
	if n > 0 {
		fsLen += 1 + uvarintLen(size) + n
	}
	b := append(dst[:0], tagNodeData)
	b = binary.AppendUvarint(b, uint64(fsLen))
	b = append(b, tagFSType, fsTypeFile)
	if n > 0 {
		b = append(b, tagFSData)
		b = binary.AppendUvarint(b, size)
	}
	split = len(b)
	b = append(b, tagFSFilesize)
	b = binary.AppendUvarint(b, size)
	return b, split
}

// maxLeafFraming bounds what leafFraming writes: three tags, a type byte and
// three varints of at most 10 bytes.
const maxLeafFraming = 4 + 3*binary.MaxVarintLen64
