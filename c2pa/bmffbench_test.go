package c2pa_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"provgraph/c2pa"
	"provgraph/c2pa/bmff"
	"provgraph/internal/testenv"
)

// writeBigMP4 writes an MP4 of about size bytes: the boxes of the real
// MP4 src with its final mdat grown by filler bytes (chunk offsets stay
// valid: the mdat keeps its 64-bit header), streamed.
func writeBigMP4(path string, src []byte, size int64) error {
	t, err := bmff.Parse(bytes.NewReader(src), int64(len(src)))
	if err != nil {
		return err
	}
	last := t.Boxes[t.Top[len(t.Top)-1]]
	if last.Type != "mdat" {
		return errors.New("the sample MP4 does not end with mdat")
	}
	payload := src[last.Offset+last.HeaderLen:]
	filler := max(size-int64(len(src)), 0)
	hdr := binary.BigEndian.AppendUint32(nil, 1)
	hdr = append(hdr, "mdat"...)
	hdr = binary.BigEndian.AppendUint64(hdr, uint64(16+int64(len(payload))+filler))
	return writeStreamed(path, func(w *bufio.Writer) {
		w.Write(src[:last.Offset])
		w.Write(hdr)
		w.Write(payload)
		writeRepeated(w, []byte{0x5a, 0x17, 0x33, 0x81}, filler)
	})
}

// BenchmarkBMFF signs a generated 100 MiB MP4 (1 GiB too with
// PROVGRAPH_BENCH_LARGE=1) into a file with c2pa.hash.bmff.v3, then
// validates the signed file, each against crypto/sha256 over the same
// bytes in the same run (x-sha256 is the throughput ratio).
func BenchmarkBMFF(b *testing.B) {
	signer := benchSigner(b)
	sample, err := os.ReadFile(testenv.Fixture(b, "c2pa/mp4/rs-video1_no_manifest.mp4"))
	if err != nil {
		b.Fatal(err)
	}
	for _, size := range benchSizes() {
		dir := b.TempDir()
		in, out := filepath.Join(dir, "in.mp4"), filepath.Join(dir, "out.mp4")
		if err := writeBigMP4(in, sample, size); err != nil {
			b.Fatal(err)
		}
		name := strconv.FormatInt(size>>20, 10) + "MiB"
		b.Run("sign/"+name, func(b *testing.B) {
			src, err := os.Open(in)
			if err != nil {
				b.Fatal(err)
			}
			defer src.Close()
			st, _ := src.Stat()
			dst, err := os.Create(out)
			if err != nil {
				b.Fatal(err)
			}
			defer dst.Close()
			runAgainstSHA(b, src, st.Size(), "sign", func() {
				signOver(b, dst, func() error {
					return c2pa.Sign(context.Background(), src, st.Size(), "video/mp4", dst, &c2pa.ManifestDefinition{Title: "bench"}, signer)
				})
			})
		})
		b.Run("verify/"+name, func(b *testing.B) {
			f, err := os.Open(out)
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			st, _ := f.Stat()
			runAgainstSHA(b, f, st.Size(), "verify", func() {
				rep, err := c2pa.Read(context.Background(), f, st.Size(), "video/mp4", c2pa.ReadOptions{})
				if err != nil {
					b.Fatal(err)
				}
				if fc := rep.FailureCodes(); len(fc) != 1 || fc[0] != "signingCredential.untrusted" {
					b.Fatalf("failures %v", fc)
				}
			})
		})
	}
}
