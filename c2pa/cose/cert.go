package cose

import (
	"crypto/x509"
	"strings"
	"unsafe"
)

// ParseCertificate parses a DER certificate like x509.ParseCertificate, but
// also accepts names whose PrintableString values hold characters outside
// that type's alphabet (e.g. "_"), which real TSA certificates carry and
// c2pa-rs accepts. Such strings are read as UTF-8; Raw, RawTBSCertificate,
// RawSubject, RawIssuer and RawSubjectPublicKeyInfo still alias the
// original bytes, so signatures over them verify.
func ParseCertificate(der []byte) (*x509.Certificate, error) {
	c, err := x509.ParseCertificate(der)
	if err == nil || !strings.Contains(err.Error(), "PrintableString") {
		return c, err
	}
	patched := append([]byte(nil), der...)
	if !retagPrintable(patched, 0) {
		return nil, err
	}
	c, err2 := x509.ParseCertificate(patched)
	if err2 != nil {
		return nil, err
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
