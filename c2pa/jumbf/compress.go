package jumbf

import (
	"bytes"
	"errors"
	"io"

	"github.com/andybalholm/brotli"
)

// ErrCompressed reports a compressed manifest (c2cm) that cannot be opened.
var ErrCompressed = errors.New("jumbf: bad compressed manifest")

// DefaultMaxDecompressed is how large a decompressed manifest may grow: c2pa-rs's
// default core.max_decompressed_manifest_size_in_mb (32).
const DefaultMaxDecompressed = 32 << 20

// Decompress opens a compressed manifest superbox (type CompressedManifest):
// its single brob content box holds the Brotli-compressed bytes of a whole
// manifest superbox (C2PA-NOTES §1.11), which is parsed with lim and
// returned. Its Raw and Offset refer to the decompressed bytes. The output
// is bounded by lim.MaxDecompressed (DefaultMaxDecompressed when 0).
func Decompress(b *Box, lim Limits) (*Box, error) {
	if !b.IsSuperBox() || b.Desc.Type != CompressedManifest {
		return nil, formatErr(int(b.Offset), b.Type, ErrCompressed, "not a compressed manifest superbox")
	}
	content := b.ContentBoxes()
	if len(content) != 1 || content[0].Type != TypeBrotli {
		return nil, formatErr(int(b.Offset), b.Type, ErrCompressed, "a compressed manifest holds exactly one brob box, found %d content boxes", len(content))
	}
	limit := lim.MaxDecompressed
	if limit <= 0 {
		limit = DefaultMaxDecompressed
	}
	data, err := io.ReadAll(io.LimitReader(brotli.NewReader(bytes.NewReader(content[0].Payload)), limit+1))
	if err != nil {
		return nil, formatErr(int(content[0].Offset), TypeBrotli, ErrCompressed, "brotli: %v", err)
	}
	if int64(len(data)) > limit {
		return nil, formatErr(int(content[0].Offset), TypeBrotli, ErrTooLarge, "decompresses to more than %d bytes", limit)
	}
	m, err := ParseSuperBox(data, lim)
	if err != nil {
		return nil, err
	}
	if !IsManifest(m.Desc.Type) || m.Desc.Type == CompressedManifest {
		return nil, formatErr(0, m.Type, ErrCompressed, "decompressed box has type %s, not a manifest", m.Desc.Type)
	}
	return m, nil
}

// Compress wraps a manifest superbox into a compressed manifest with the
// same label: a c2cm superbox holding one brob box of Brotli(m.Bytes()).
func Compress(m *Box) (*Box, error) {
	var buf bytes.Buffer
	w := brotli.NewWriterLevel(&buf, brotli.BestCompression)
	if _, err := w.Write(m.Bytes()); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return NewSuperBox(CompressedManifest, m.Label(), nil, NewContentBox(TypeBrotli, buf.Bytes())), nil
}
