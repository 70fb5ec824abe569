package cose

import (
	"crypto/x509"
	"math/big"
	"strings"
	"unsafe"
)

// ParseCertificate parses a DER certificate like x509.ParseCertificate, but
// also accepts two defects c2pa-rs (x509-parser) tolerates and real
// certificates carry: names whose PrintableString values hold characters
// outside that type's alphabet (e.g. "_" in a TSA name), read as UTF-8, and
// negative serial numbers, kept in SerialNumber. Raw, RawTBSCertificate,
// RawSubject, RawIssuer and RawSubjectPublicKeyInfo still alias the
// original bytes, so signatures over them verify.
func ParseCertificate(der []byte) (*x509.Certificate, error) {
	c, err := x509.ParseCertificate(der)
	if err == nil {
		return c, nil
	}
	msg := err.Error()
	printable, negative := strings.Contains(msg, "PrintableString"), strings.Contains(msg, "negative serial")
	if !printable && !negative {
		return nil, err
	}
	patched := append([]byte(nil), der...)
	if !retagPrintable(patched, 0) {
		return nil, err
	}
	var serial *big.Int
	if off, n, ok := serialOffset(patched); ok && n > 0 && patched[off]&0x80 != 0 {
		serial = negativeInt(der[off : off+n])
		patched[off] &^= 0x80
	}
	c, err2 := x509.ParseCertificate(patched)
	if err2 != nil {
		return nil, err
	}
	if serial != nil {
		c.SerialNumber = serial
	}
	base := uintptr(unsafe.Pointer(unsafe.SliceData(patched)))
	realias := func(b []byte) []byte {
		if len(b) == 0 {
			return b
		}
		off := uintptr(unsafe.Pointer(unsafe.SliceData(b))) - base
		if off > uintptr(len(der)) || int(off)+len(b) > len(der) {
			return b
		}
		return der[off : int(off)+len(b)]
	}
	c.Raw = realias(c.Raw)
	c.RawTBSCertificate = realias(c.RawTBSCertificate)
	c.RawSubject = realias(c.RawSubject)
	c.RawIssuer = realias(c.RawIssuer)
	c.RawSubjectPublicKeyInfo = realias(c.RawSubjectPublicKeyInfo)
	return c, nil
}

// serialOffset finds the content of the TBS serialNumber INTEGER.
func serialOffset(b []byte) (off, n int, ok bool) {
	// Certificate SEQUENCE → tbsCertificate SEQUENCE → [0] version? → INTEGER
	_, h1, _, ok := derHeader(b)
	if !ok {
		return 0, 0, false
	}
	_, h2, _, ok := derHeader(b[h1:])
	if !ok {
		return 0, 0, false
	}
	off = h1 + h2
	tag, h, l, ok := derHeader(b[off:])
	if ok && tag == 0xa0 {
		off += h + l
		tag, h, l, ok = derHeader(b[off:])
	}
	if !ok || tag != 0x02 || off+h+l > len(b) {
		return 0, 0, false
	}
	return off + h, l, true
}

// negativeInt decodes a two's-complement DER INTEGER content.
func negativeInt(b []byte) *big.Int {
	v := new(big.Int).SetBytes(b)
	if len(b) > 0 && b[0]&0x80 != 0 {
		v.Sub(v, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	return v
}

// retagPrintable walks the DER structure starting at b[0] in place,
// retagging universal PrintableString (0x13) as UTF8String (0x0c); lengths
// are unchanged. It reports whether the walk succeeded.
func retagPrintable(b []byte, depth int) bool {
	if depth > 64 {
		return false
	}
	for len(b) > 0 {
		tag, n, l, ok := derHeader(b)
		if !ok || n+l > len(b) {
			return false
		}
		content := b[n : n+l]
		switch {
		case tag == 0x13:
			b[0] = 0x0c
		case tag&0x20 != 0:
			if !retagPrintable(content, depth+1) {
				return false
			}
		}
		b = b[n+l:]
	}
	return true
}

// derHeader reads a single-byte-tag DER header: tag, header length and
// content length.
func derHeader(b []byte) (tag byte, n, l int, ok bool) {
	if len(b) < 2 || b[0]&0x1f == 0x1f {
		return 0, 0, 0, false
	}
	tag = b[0]
	if b[1] < 0x80 {
		return tag, 2, int(b[1]), true
	}
	k := int(b[1] & 0x7f)
	if k == 0 || k > 4 || len(b) < 2+k {
		return 0, 0, 0, false
	}
	for _, x := range b[2 : 2+k] {
		l = l<<8 | int(x)
	}
	return tag, 2 + k, l, l >= 0
}
