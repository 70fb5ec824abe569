package scan

import (
	"bytes"
	"encoding/binary"
)

// Media types that Sniff returns.
const (
	MediaJPEG    = "image/jpeg"
	MediaPNG     = "image/png"
	MediaWebP    = "image/webp"
	MediaGIF     = "image/gif"
	MediaTIFF    = "image/tiff"
	MediaDNG     = "image/x-adobe-dng"
	MediaHEIC    = "image/heic"
	MediaHEIF    = "image/heif"
	MediaAVIF    = "image/avif"
	MediaJXL     = "image/jxl"
	MediaSVG     = "image/svg+xml"
	MediaMP4     = "video/mp4"
	MediaMOV     = "video/quicktime"
	MediaM4A     = "audio/mp4"
	MediaWAV     = "audio/wav"
	MediaAVI     = "video/x-msvideo"
	MediaMP3     = "audio/mpeg"
	MediaFLAC    = "audio/flac"
	MediaPDF     = "application/pdf"
	MediaC2PA    = "application/c2pa"
	MediaXMP     = "application/rdf+xml" // an XMP sidecar
	MediaUnknown = "application/octet-stream"
)

// sniffLen is how many leading bytes Sniff looks at; callers should pass at
// least this many when the file has them.
const sniffLen = 4096

// Sniff returns the media type of a file from its first bytes (up to 4096
// are used), never from its name. It returns MediaUnknown when the bytes
// match no supported type.
func Sniff(head []byte) string {
	if len(head) > sniffLen {
		head = head[:sniffLen]
	}
	switch {
	case len(head) >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF:
		return MediaJPEG
	case bytes.HasPrefix(head, pngSignature):
		return MediaPNG
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return MediaGIF
	case len(head) >= 12 && string(head[:4]) == "RIFF":
		switch string(head[8:12]) {
		case "WEBP":
			return MediaWebP
		case "WAVE":
			return MediaWAV
		case "AVI ":
			return MediaAVI
		}
	case bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")):
		if tiffHeadHasTag(head, tagDNGVersion) {
			return MediaDNG
		}
		return MediaTIFF
	case bytes.HasPrefix(head, []byte("II+\x00")), bytes.HasPrefix(head, []byte("MM\x00+")):
		return MediaTIFF // BigTIFF
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return MediaPDF
	case bytes.HasPrefix(head, []byte("fLaC")):
		return MediaFLAC
	case bytes.HasPrefix(head, []byte("ID3")):
		return MediaMP3
	case len(head) >= 2 && head[0] == 0xFF && head[1]&0xE0 == 0xE0 && head[1]&0x06 != 0:
		// MPEG audio frame sync with a layer set (AAC ADTS has layer 0).
		return MediaMP3
	case bytes.HasPrefix(head, []byte{0xFF, 0x0A}), bytes.HasPrefix(head, []byte("\x00\x00\x00\x0cJXL \r\n\x87\n")):
		return MediaJXL
	}
	if t := sniffBMFF(head); t != "" {
		return t
	}
	if sniffJUMBF(head) {
		return MediaC2PA
	}
	if sniffSVG(head) {
		return MediaSVG
	}
	if bytes.Contains(head, []byte("<x:xmpmeta")) || bytes.HasPrefix(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), []byte("<?xpacket")) {
		return MediaXMP
	}
	return MediaUnknown
}

// sniffBMFF recognises ISO BMFF files by their ftyp box: the major brand
// first, then the compatible brands.
func sniffBMFF(head []byte) string {
	if len(head) < 12 {
		return ""
	}
	typ := string(head[4:8])
	if typ == "styp" {
		return MediaMP4 // a DASH or CMAF media segment
	}
	if typ != "ftyp" {
		switch typ {
		case "moov", "mdat", "wide", "free", "skip", "pnot":
			return MediaMOV // QuickTime files may start without ftyp
		}
		return ""
	}
	n := int(binary.BigEndian.Uint32(head))
	if n < 16 || n > len(head) {
		n = min(len(head), max(n, 12))
	}
	brands := []string{string(head[8:12])}
	for i := 16; i+4 <= n; i += 4 {
		brands = append(brands, string(head[i:i+4]))
	}
	// The major brand decides when it is known; an AVIF may still declare
	// the generic HEIF structure brand first.
	hasAVIF := false
	for _, b := range brands {
		hasAVIF = hasAVIF || b == "avif" || b == "avis"
	}
	for _, b := range brands {
		switch b {
		case "avif", "avis":
			return MediaAVIF
		case "heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs":
			return MediaHEIC
		case "mif1", "msf1", "mif2", "miaf":
			if hasAVIF {
				return MediaAVIF
			}
			return MediaHEIF
		case "qt  ":
			return MediaMOV
		case "M4A ", "M4B ", "M4P ", "F4A ":
			return MediaM4A
		case "isom", "iso2", "iso3", "iso4", "iso5", "iso6", "iso8", "mp41", "mp42", "avc1", "dash", "msdh", "msix", "M4V ", "f4v ", "cmfc", "cmf2", "3gp4", "3gp5", "3gp6", "mmp4":
			return MediaMP4
		}
	}
	return ""
}

// sniffJUMBF recognises a bare C2PA manifest store (a .c2pa sidecar): a
// jumb superbox whose description has the c2pa type.
func sniffJUMBF(head []byte) bool {
	return len(head) >= 28 && string(head[4:8]) == "jumb" && string(head[12:16]) == "jumd" && string(head[16:20]) == "c2pa"
}

// sniffSVG recognises SVG text: an <svg element near the start, after an
// optional XML declaration, comments or doctype.
func sniffSVG(head []byte) bool {
	h := bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	h = bytes.TrimLeft(h, " \t\r\n")
	if len(h) == 0 || h[0] != '<' {
		return false
	}
	return bytes.Contains(h, []byte("<svg"))
}

// tiffHeadHasTag looks for tag in IFD0 when IFD0 lies within head.
func tiffHeadHasTag(head []byte, tag uint16) bool {
	if len(head) < 8 {
		return false
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if head[0] == 'M' {
		bo = binary.BigEndian
	}
	off := int(bo.Uint32(head[4:8]))
	if off < 8 || off+2 > len(head) {
		return false
	}
	n := int(bo.Uint16(head[off:]))
	for i := 0; i < n; i++ {
		e := off + 2 + 12*i
		if e+12 > len(head) {
			return false
		}
		if bo.Uint16(head[e:]) == tag {
			return true
		}
	}
	return false
}
