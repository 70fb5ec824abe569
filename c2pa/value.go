package c2pa

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"unicode/utf8"
)

// Object is a JSON object that keeps its members in the order they were
// read or added, as c2pa-rs's serde_json (preserve_order) does. Report data
// values are built from Object, []any, string, json.Number, bool and nil.
type Object struct {
	keys []string
	vals []any
}

// Set appends a member, or replaces the value of an existing one in place.
func (o *Object) Set(k string, v any) {
	for i, kk := range o.keys {
		if kk == k {
			o.vals[i] = v
			return
		}
	}
	o.keys = append(o.keys, k)
	o.vals = append(o.vals, v)
}

// Get returns a member's value.
func (o *Object) Get(k string) (any, bool) {
	if o == nil {
		return nil, false
	}
	for i, kk := range o.keys {
		if kk == k {
			return o.vals[i], true
		}
	}
	return nil, false
}

// Keys returns the member names in order.
func (o *Object) Keys() []string { return o.keys }

// Len returns the number of members.
func (o *Object) Len() int { return len(o.keys) }

// MarshalJSON writes the members in order.
func (o *Object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		vb, err := json.Marshal(o.vals[i])
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// maxValueDepth bounds nesting when converting assertion data.
const maxValueDepth = 128

var errValue = errors.New("c2pa: malformed data value")

// cborToValue converts CBOR bytes into an ordered JSON value the way c2pa-rs
// does when it reports assertion data: byte strings become arrays of numbers
// (later turned into base64 by hashToB64), tags are dropped, map keys become
// strings. Trailing bytes are an error.
func cborToValue(data []byte) (any, error) {
	d := cborWalker{b: data}
	v, err := d.value(0)
	if err != nil {
		return nil, err
	}
	if d.off != len(d.b) {
		return nil, fmt.Errorf("%w: %d trailing bytes", errValue, len(d.b)-d.off)
	}
	return v, nil
}

type cborWalker struct {
	b   []byte
	off int
}

func (d *cborWalker) head() (major byte, arg uint64, indef bool, err error) {
	if d.off >= len(d.b) {
		return 0, 0, false, io.ErrUnexpectedEOF
	}
	ib := d.b[d.off]
	d.off++
	major, ai := ib>>5, ib&0x1f
	switch {
	case ai < 24:
		return major, uint64(ai), false, nil
	case ai == 31:
		return major, 0, true, nil
	case ai > 27:
		return 0, 0, false, fmt.Errorf("%w: reserved additional info %d", errValue, ai)
	}
	n := 1 << (ai - 24)
	if len(d.b)-d.off < n {
		return 0, 0, false, io.ErrUnexpectedEOF
	}
	var v uint64
	for _, c := range d.b[d.off : d.off+n] {
		v = v<<8 | uint64(c)
	}
	d.off += n
	return major, v, false, nil
}

func (d *cborWalker) bytesOf(n uint64) ([]byte, error) {
	if n > uint64(len(d.b)-d.off) {
		return nil, io.ErrUnexpectedEOF
	}
	s := d.b[d.off : d.off+int(n)]
	d.off += int(n)
	return s, nil
}

func (d *cborWalker) isBreak() bool {
	if d.off < len(d.b) && d.b[d.off] == 0xff {
		d.off++
		return true
	}
	return false
}

func (d *cborWalker) value(depth int) (any, error) {
	if depth > maxValueDepth {
		return nil, fmt.Errorf("%w: nested too deeply", errValue)
	}
	start := d.off
	major, arg, indef, err := d.head()
	if err != nil {
		return nil, err
	}
	switch major {
	case 0:
		return json.Number(strconv.FormatUint(arg, 10)), nil
	case 1:
		n := new(big.Int).SetUint64(arg)
		n.Neg(n).Sub(n, big.NewInt(1))
		return json.Number(n.String()), nil
	case 2, 3:
		var raw []byte
		if indef {
			for !d.isBreak() {
				m, a, ind, err := d.head()
				if err != nil {
					return nil, err
				}
				if m != major || ind {
					return nil, fmt.Errorf("%w: bad chunk in indefinite string", errValue)
				}
				s, err := d.bytesOf(a)
				if err != nil {
					return nil, err
				}
				raw = append(raw, s...)
			}
		} else {
			s, err := d.bytesOf(arg)
			if err != nil {
				return nil, err
			}
			raw = s
		}
		if major == 3 {
			if !utf8.Valid(raw) {
				return nil, fmt.Errorf("%w: invalid UTF-8 text", errValue)
			}
			return string(raw), nil
		}
		arr := make([]any, len(raw))
		for i, c := range raw {
			arr[i] = json.Number(strconv.Itoa(int(c)))
		}
		return arr, nil
	case 4:
		if !indef && arg > uint64(len(d.b)-d.off) {
			return nil, io.ErrUnexpectedEOF
		}
		var arr []any
		for i := uint64(0); indef || i < arg; i++ {
			if indef && d.isBreak() {
				break
			}
			v, err := d.value(depth + 1)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		if arr == nil {
			arr = []any{}
		}
		return arr, nil
	case 5:
		if !indef && arg > uint64(len(d.b)-d.off)/2 {
			return nil, io.ErrUnexpectedEOF
		}
		obj := &Object{}
		for i := uint64(0); indef || i < arg; i++ {
			if indef && d.isBreak() {
				break
			}
			k, err := d.value(depth + 1)
			if err != nil {
				return nil, err
			}
			var key string
			switch kk := k.(type) {
			case string:
				key = kk
			case json.Number:
				key = string(kk)
			default:
				return nil, fmt.Errorf("%w: unsupported map key", errValue)
			}
			v, err := d.value(depth + 1)
			if err != nil {
				return nil, err
			}
			obj.Set(key, v)
		}
		return obj, nil
	case 6:
		return d.value(depth + 1)
	case 7:
		if indef {
			return nil, fmt.Errorf("%w: unexpected break at %d", errValue, start)
		}
		switch d.b[start] & 0x1f {
		case 20:
			return false, nil
		case 21:
			return true, nil
		case 22, 23:
			return nil, nil
		case 25:
			return floatNumber(float64(halfToFloat(uint16(arg))), 32), nil
		case 26:
			return floatNumber(float64(math.Float32frombits(uint32(arg))), 32), nil
		case 27:
			return floatNumber(math.Float64frombits(arg), 64), nil
		}
		return json.Number(strconv.FormatUint(arg, 10)), nil
	}
	return nil, fmt.Errorf("%w: major type %d", errValue, major)
}

// floatNumber formats a CBOR float with the shortest digits of its own
// width, as serde prints f32 and f64.
func floatNumber(f float64, bits int) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	s := strconv.FormatFloat(f, 'f', -1, bits)
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		s += ".0"
	}
	return json.Number(s)
}

func halfToFloat(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch exp {
	case 0:
		f := float32(frac) / 1024 * float32(math.Pow(2, -14))
		if sign != 0 {
			return -f
		}
		return f
	case 0x1f:
		return math.Float32frombits(sign | 0x7f800000 | frac<<13)
	}
	return math.Float32frombits(sign | (exp+112)<<23 | frac<<13)
}

// jsonToValue parses JSON into an ordered value.
func jsonToValue(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := jsonValue(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: trailing JSON data", errValue)
	}
	return v, nil
}

func jsonValue(dec *json.Decoder, depth int) (any, error) {
	if depth > maxValueDepth {
		return nil, fmt.Errorf("%w: nested too deeply", errValue)
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			obj := &Object{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				v, err := jsonValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				obj.Set(k, v)
			}
			_, err := dec.Token()
			return obj, err
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := jsonValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			_, err := dec.Token()
			return arr, err
		}
		return nil, fmt.Errorf("%w: unexpected %v", errValue, t)
	default:
		return tok, nil
	}
}

// hashToB64 applies c2pa-rs's report post-processing: every object member
// whose value is a non-empty array of numbers only becomes the padded
// standard base64 of those numbers taken as bytes.
func hashToB64(v any) any {
	switch t := v.(type) {
	case *Object:
		for i, val := range t.vals {
			if b, ok := numberBytes(val); ok {
				t.vals[i] = base64.StdEncoding.EncodeToString(b)
				continue
			}
			t.vals[i] = hashToB64(val)
		}
		return t
	case []any:
		for i := range t {
			t[i] = hashToB64(t[i])
		}
		return t
	}
	return v
}

func numberBytes(v any) ([]byte, bool) {
	arr, ok := v.([]any)
	if !ok || len(arr) == 0 {
		return nil, false
	}
	out := make([]byte, len(arr))
	for i, e := range arr {
		n, ok := e.(json.Number)
		if !ok {
			return nil, false
		}
		if x, err := n.Int64(); err == nil {
			out[i] = byte(x)
		} else if f, err := n.Float64(); err == nil {
			out[i] = byte(int64(f))
		} else {
			return nil, false
		}
	}
	return out, true
}

// be32 reads a big-endian uint32 (helper shared by the store code).
func be32(b []byte) uint32 { return binary.BigEndian.Uint32(b) }
