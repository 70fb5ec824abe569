package jpeg

import (
	"bytes"
	"testing"
)

// TestEntropyLen checks where entropy-coded data ends, with buffers small
// enough that 0xFF runs straddle window boundaries.
func TestEntropyLen(t *testing.T) {
	tests := []struct {
		name string
		data string
		want int64
	}{
		{"plain to EOF", "\x01\x02\x03", 3},
		{"stuffed bytes", "\x01\xff\x00\x02\xff\x00", 6},
		{"marker", "\x01\x02\xff\xd9", 2},
		{"restart marker ends it too", "\x01\xff\xd0\x02", 1},
		{"fill bytes before a marker", "\x01\x02\x03\xff\xff\xff\xd9", 3},
		{"fill run then stuffed zero", "\x01\xff\xff\xff\x00\x02\xff\xd9", 6},
		{"0xFF run to EOF", "\x01\x02\xff\xff", 4},
		{"0xFF at EOF", "\x01\xff", 2},
		{"empty", "", 0},
	}
	for _, tt := range tests {
		for _, bufSize := range []int{1, 2, 3, 5, 64} {
			data := []byte(tt.data)
			b := &reader{r: bytes.NewReader(data), size: int64(len(data)), buf: make([]byte, 0, bufSize)}
			got, err := entropyLen(b, 0)
			if err != nil || got != tt.want {
				t.Errorf("%s (buffer %d): entropyLen = %d, %v; want %d", tt.name, bufSize, got, err, tt.want)
			}
		}
	}
}
