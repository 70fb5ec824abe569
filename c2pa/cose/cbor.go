package cose

import (
	"encoding/binary"
	"fmt"

	"github.com/fxamacker/cbor/v2"
)

// MaxSize bounds the input Parse accepts. C2PA signatures are a few KB to a
// few hundred KB (certificate chains, OCSP responses, time-stamp tokens).
const MaxSize = 16 << 20

// decMode decodes header values with bounded nesting and sizes and rejects
// duplicate map keys (coset does too).
var decMode = func() cbor.DecMode {
	dm, err := cbor.DecOptions{
		DupMapKey:        cbor.DupMapKeyEnforcedAPF,
		MaxNestedLevels:  32,
		MaxArrayElements: 65536,
		MaxMapPairs:      65536,
		IndefLength:      cbor.IndefLengthAllowed,
		IntDec:           cbor.IntDecConvertSigned,
	}.DecMode()
	if err != nil {
		panic(err) // static options
	}
	return dm
}()

// CBOR major types.
const (
	majorUint   = 0
	majorNegInt = 1
	majorBytes  = 2
	majorText   = 3
	majorArray  = 4
	majorMap    = 5
	majorTag    = 6
	majorSimple = 7
)

const indefinite = ^uint64(0)

// head decodes the initial byte(s) of the CBOR item at b[0]: its major type,
// argument and head length. An indefinite length returns arg == indefinite.
func head(b []byte) (major byte, arg uint64, n int, err error) {
	if len(b) == 0 {
		return 0, 0, 0, fmt.Errorf("unexpected end of data")
	}
	major, ai := b[0]>>5, b[0]&0x1f
	switch {
	case ai < 24:
		return major, uint64(ai), 1, nil
	case ai == 24:
		if len(b) < 2 {
			return 0, 0, 0, fmt.Errorf("truncated head")
		}
		return major, uint64(b[1]), 2, nil
	case ai == 25:
		if len(b) < 3 {
			return 0, 0, 0, fmt.Errorf("truncated head")
		}
		return major, uint64(binary.BigEndian.Uint16(b[1:])), 3, nil
	case ai == 26:
		if len(b) < 5 {
			return 0, 0, 0, fmt.Errorf("truncated head")
		}
		return major, uint64(binary.BigEndian.Uint32(b[1:])), 5, nil
	case ai == 27:
		if len(b) < 9 {
			return 0, 0, 0, fmt.Errorf("truncated head")
		}
		return major, binary.BigEndian.Uint64(b[1:]), 9, nil
	case ai == 31 && (major == majorBytes || major == majorText || major == majorArray || major == majorMap):
		return major, indefinite, 1, nil
	}
	return 0, 0, 0, fmt.Errorf("invalid additional information %d", ai)
}

// item splits the first well-formed CBOR item off b.
func item(b []byte) (raw cbor.RawMessage, rest []byte, err error) {
	var m cbor.RawMessage
	rest, err = decMode.UnmarshalFirst(b, &m)
	if err != nil {
		return nil, nil, err
	}
	return b[:len(b)-len(rest)], rest, nil
}

// appendHead appends a definite-length head in preferred (shortest) form.
func appendHead(dst []byte, major byte, arg uint64) []byte {
	m := major << 5
	switch {
	case arg < 24:
		return append(dst, m|byte(arg))
	case arg <= 0xff:
		return append(dst, m|24, byte(arg))
	case arg <= 0xffff:
		return binary.BigEndian.AppendUint16(append(dst, m|25), uint16(arg))
	case arg <= 0xffffffff:
		return binary.BigEndian.AppendUint32(append(dst, m|26), uint32(arg))
	}
	return binary.BigEndian.AppendUint64(append(dst, m|27), arg)
}

func appendBytes(dst, b []byte) []byte {
	return append(appendHead(dst, majorBytes, uint64(len(b))), b...)
}

func appendText(dst []byte, s string) []byte {
	return append(appendHead(dst, majorText, uint64(len(s))), s...)
}

func appendInt(dst []byte, v int64) []byte {
	if v >= 0 {
		return appendHead(dst, majorUint, uint64(v))
	}
	return appendHead(dst, majorNegInt, uint64(-(v + 1)))
}

// headLen is the size of a definite-length head with argument arg.
func headLen(arg uint64) int {
	switch {
	case arg < 24:
		return 1
	case arg <= 0xff:
		return 2
	case arg <= 0xffff:
		return 3
	case arg <= 0xffffffff:
		return 5
	}
	return 9
}
