package pdf

import (
	"bytes"
	"strconv"
)

// The PDF object model, as far as finding an embedded file needs it.
type (
	name   string
	ref    struct{ num, gen int64 }
	dict   map[string]any
	array  []any
	str    []byte
	stream struct {
		dict  dict
		start int64 // offset of the raw data in the file
		data  []byte
	}
	keyword string
)

// maxDepth bounds the nesting of arrays and dictionaries.
const maxDepth = 64

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool {
	return bytes.IndexByte([]byte("()<>[]{}/%"), c) >= 0
}

// lexer reads tokens from data starting at pos.
type lexer struct {
	data []byte
	pos  int
}

// skipSpace skips white space and comments.
func (l *lexer) skipSpace() {
	for l.pos < len(l.data) {
		c := l.data[l.pos]
		switch {
		case isSpace(c):
			l.pos++
		case c == '%':
			for l.pos < len(l.data) && l.data[l.pos] != '\n' && l.data[l.pos] != '\r' {
				l.pos++
			}
		default:
			return
		}
	}
}

// regular reads a run of regular characters.
func (l *lexer) regular() string {
	start := l.pos
	for l.pos < len(l.data) && !isSpace(l.data[l.pos]) && !isDelim(l.data[l.pos]) {
		l.pos++
	}
	return string(l.data[start:l.pos])
}

// object parses one object; integers followed by "G R" become references.
func (l *lexer) object(depth int) (any, error) {
	if depth > maxDepth {
		return nil, errAt(l.pos, "objects nested deeper than %d", maxDepth)
	}
	l.skipSpace()
	if l.pos >= len(l.data) {
		return nil, errAt(l.pos, "unexpected end of file")
	}
	switch c := l.data[l.pos]; {
	case c == '/':
		l.pos++
		return name(decodeName(l.regular())), nil
	case c == '(':
		return l.literal()
	case c == '<' && l.pos+1 < len(l.data) && l.data[l.pos+1] == '<':
		l.pos += 2
		d := dict{}
		for {
			l.skipSpace()
			if l.pos+1 < len(l.data) && l.data[l.pos] == '>' && l.data[l.pos+1] == '>' {
				l.pos += 2
				return d, nil
			}
			k, err := l.object(depth + 1)
			if err != nil {
				return nil, err
			}
			key, ok := k.(name)
			if !ok {
				return nil, errAt(l.pos, "dictionary key is not a name")
			}
			v, err := l.object(depth + 1)
			if err != nil {
				return nil, err
			}
			d[string(key)] = v
		}
	case c == '<':
		end := bytes.IndexByte(l.data[l.pos:], '>')
		if end < 0 {
			return nil, errAt(l.pos, "unterminated hex string")
		}
		hex := l.data[l.pos+1 : l.pos+end]
		l.pos += end + 1
		return decodeHex(hex), nil
	case c == '[':
		l.pos++
		var a array
		for {
			l.skipSpace()
			if l.pos < len(l.data) && l.data[l.pos] == ']' {
				l.pos++
				return a, nil
			}
			v, err := l.object(depth + 1)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
	case isDelim(c):
		return nil, errAt(l.pos, "unexpected %q", c)
	}
	start := l.pos
	tok := l.regular()
	if tok == "" {
		return nil, errAt(start, "empty token")
	}
	switch tok {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	}
	if n, err := strconv.ParseInt(tok, 10, 64); err == nil {
		// "num gen R" is a reference.
		save := l.pos
		l.skipSpace()
		gen := l.regular()
		l.skipSpace()
		if g, err := strconv.ParseInt(gen, 10, 64); err == nil && l.regular() == "R" {
			return ref{n, g}, nil
		}
		l.pos = save
		return n, nil
	}
	if f, err := strconv.ParseFloat(tok, 64); err == nil {
		return f, nil
	}
	return keyword(tok), nil
}

// literal parses a (string) with nested parentheses and escapes.
func (l *lexer) literal() (any, error) {
	start := l.pos
	l.pos++
	var out []byte
	for depth := 1; ; {
		if l.pos >= len(l.data) {
			return nil, errAt(start, "unterminated string")
		}
		c := l.data[l.pos]
		l.pos++
		switch c {
		case '\\':
			if l.pos < len(l.data) {
				out = append(out, l.data[l.pos])
				l.pos++
			}
			continue
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return str(out), nil
			}
		}
		out = append(out, c)
	}
}

func decodeName(s string) string {
	if !bytes.ContainsRune([]byte(s), '#') {
		return s
	}
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '#' && i+2 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				out = append(out, byte(v))
				i += 2
				continue
			}
		}
		out = append(out, s[i])
	}
	return string(out)
}

func decodeHex(h []byte) str {
	var digits []byte
	for _, c := range h {
		if !isSpace(c) {
			digits = append(digits, c)
		}
	}
	if len(digits)%2 == 1 {
		digits = append(digits, '0')
	}
	out := make([]byte, 0, len(digits)/2)
	for i := 0; i+1 < len(digits); i += 2 {
		v, _ := strconv.ParseUint(string(digits[i:i+2]), 16, 8)
		out = append(out, byte(v))
	}
	return out
}
