package scan

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"strings"
	"testing"
)

// pngChunk encodes one chunk.
func pngChunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

func deflate(p []byte) []byte {
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	w.Write(p)
	w.Close()
	return buf.Bytes()
}

func pngWith(chunks ...[]byte) []byte {
	b := append([]byte{}, pngSignature...)
	b = append(b, pngChunk("IHDR", make([]byte, 13))...)
	for _, c := range chunks {
		b = append(b, c...)
	}
	return append(b, pngChunk("IEND", nil)...)
}

func TestPNGText(t *testing.T) {
	params := "a cat\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Model: v1-5-pruned-emaonly"
	cases := []struct {
		name   string
		chunk  []byte
		field  string
		value  string
		warned bool
	}{
		{"tEXt", pngChunk("tEXt", []byte("parameters\x00"+params)), "PNG:parameters", params, false},
		{"tEXt latin-1", pngChunk("tEXt", []byte("Author\x00Ren\xe9")), "PNG:Author", "René", false},
		{"zTXt", pngChunk("zTXt", append([]byte("parameters\x00\x00"), deflate([]byte(params))...)), "PNG:parameters", params, false},
		{"iTXt compressed", pngChunk("iTXt", append([]byte("prompt\x00\x01\x00en\x00\x00"), deflate([]byte(`{"1":{"class_type":"KSampler"}}`))...)), "PNG:prompt", `{"1":{"class_type":"KSampler"}}`, false},
		{"iTXt plain", pngChunk("iTXt", []byte("Comment\x00\x00\x00\x00\x00héllo")), "PNG:Comment", "héllo", false},
		{"ImageMagick raw XMP profile", pngChunk("tEXt", []byte("Raw profile type xmp\x00\nxmp\n      98\n"+
			hex.EncodeToString([]byte(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">`))+"\n"+
			hex.EncodeToString([]byte(`<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="DALL-E 2"/></rdf:RDF></x:xmpmeta>`)))),
			"XMP:CreatorTool", "DALL-E 2", false},
		{"raw profile not hex", pngChunk("tEXt", []byte("Raw profile type xmp\x00\nxmp\n 4\nzzzz")), "", "", true},
		{"zTXt corrupt", pngChunk("zTXt", []byte("parameters\x00\x00garbage")), "", "", true},
		{"no keyword", pngChunk("tEXt", []byte("no separator")), "", "", true},
		{"iTXt without language fields", pngChunk("iTXt", []byte("k\x00\x00\x00en")), "", "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCollector(Options{MaxFieldBytes: 1000}, MediaPNG)
			data := pngWith(tc.chunk)
			if err := walkPNG(c, bytesSource(data)); err != nil {
				t.Fatal(err)
			}
			if tc.field != "" && c.rep.RawFields[tc.field] != tc.value {
				t.Errorf("%s = %q, want %q (all %v)", tc.field, c.rep.RawFields[tc.field], tc.value, c.rep.RawFields)
			}
			if (len(c.rep.Warnings) > 0) != tc.warned {
				t.Errorf("warnings %q", c.rep.Warnings)
			}
		})
	}
}

// Many small zTXt bombs together must not inflate past maxInflated.
func TestPNGInflationBudget(t *testing.T) {
	bomb := pngChunk("zTXt", append([]byte("Comment\x00\x00"), deflate(make([]byte, maxPNGText))...))
	var chunks [][]byte
	for range 12 {
		chunks = append(chunks, bomb)
	}
	data := pngWith(chunks...)
	if len(data) > 1<<20 {
		t.Fatalf("test file of %d bytes is not small", len(data))
	}
	c := newCollector(Options{}, MediaPNG)
	if err := walkPNG(c, bytesSource(data)); err != nil {
		t.Fatal(err)
	}
	if c.inflated > maxInflated {
		t.Errorf("inflated %d bytes, allowance %d", c.inflated, maxInflated)
	}
	found := false
	for _, w := range c.rep.Warnings {
		found = found || strings.Contains(w, "inflates past")
	}
	if !found {
		t.Errorf("no inflation warning: %q", c.rep.Warnings)
	}
	// A single chunk that inflates past the per-chunk cap is refused too.
	c = newCollector(Options{}, MediaPNG)
	big := pngChunk("zTXt", append([]byte("Comment\x00\x00"), deflate(make([]byte, maxPNGText+1))...))
	if err := walkPNG(c, bytesSource(pngWith(big))); err != nil {
		t.Fatal(err)
	}
	if len(c.rep.Warnings) == 0 || c.rep.RawFields["PNG:Comment"] != "" {
		t.Errorf("oversized chunk accepted: %q", c.rep.Warnings)
	}
}

// An EXIF block whose entries all point at one large value must not cost
// entries × value size.
func TestEXIFAmplification(t *testing.T) {
	const entries, valueLen = 1000, 60 << 10
	ifd := []uint32{}
	valueOff := uint32(8 + 2 + entries*12 + 4)
	for range entries {
		ifd = append(ifd, tagSoftware, 2, valueLen, valueOff)
	}
	ifd = append(ifd, 0)
	data := append(tiffBytes(ifd), bytes.Repeat([]byte("A"), valueLen)...)
	c := newCollector(Options{}, MediaJPEG)
	c.exif(data)
	if len(c.rep.Warnings) == 0 || !strings.Contains(c.rep.Warnings[len(c.rep.Warnings)-1], ErrMetadataLimit.Error()) {
		t.Errorf("no limit warning; warnings %q", c.rep.Warnings)
	}
}
