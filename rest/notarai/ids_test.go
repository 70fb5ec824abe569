package notarai_test

import (
	"bytes"
	"strings"
	"testing"

	"provgraph/rest/notarai"
)

func TestIDs(t *testing.T) {
	m, err := notarai.NewIDs(bytes.Repeat([]byte{1}, 32))
	if err != nil {
		t.Fatal(err)
	}
	other, _ := notarai.NewIDs(bytes.Repeat([]byte{2}, 32))
	rec := m.Encode(notarai.KindRecord, 42)
	flip := func(s string, i int) string {
		b := []byte(s)
		b[i] = map[bool]byte{true: '1', false: '0'}[b[i] == '0']
		return string(b)
	}
	tests := []struct {
		name    string
		ids     *notarai.IDs
		kind    notarai.Kind
		text    string
		want    int
		wantOK  bool
		notUUID bool
	}{
		{"round trip", m, notarai.KindRecord, rec, 42, true, false},
		{"upper case", m, notarai.KindRecord, strings.ToUpper(rec), 42, true, false},
		{"largest ID", m, notarai.KindJob, m.Encode(notarai.KindJob, 1<<48-1), 1<<48 - 1, true, false},
		{"other kind", m, notarai.KindJob, rec, 0, false, false},
		{"other key", other, notarai.KindRecord, rec, 0, false, false},
		{"tampered ID", m, notarai.KindRecord, flip(rec, 11), 0, false, false},
		{"tampered tag", m, notarai.KindRecord, flip(rec, 35), 0, false, false},
		{"random UUID", m, notarai.KindRecord, "3fa85f64-5717-4562-b3fc-2c963f66afa6", 0, false, false},
		{"not a UUID", m, notarai.KindRecord, "42", 0, false, true},
		{"not hex", m, notarai.KindRecord, "zzzzzzzz-zzzz-8zzz-8zzz-zzzzzzzzzzzz", 0, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, ok, err := tt.ids.Decode(tt.kind, tt.text)
			if (err != nil) != tt.notUUID || ok != tt.wantOK || id != tt.want {
				t.Fatalf("Decode(%q) = %d, %v, %v; want %d, %v, not a UUID %v", tt.text, id, ok, err, tt.want, tt.wantOK, tt.notUUID)
			}
		})
	}
	if rec[14] != '8' || !strings.ContainsRune("89ab", rune(rec[19])) {
		t.Errorf("%s is not a version 8, RFC 9562 variant UUID", rec)
	}
	if m.Encode(notarai.KindRecord, 42) != rec || m.Encode(notarai.KindRecord, 43) == rec {
		t.Error("Encode is not a function of the ID")
	}
	if _, err := notarai.NewIDs(make([]byte, 31)); err == nil {
		t.Error("a 31-byte key was accepted")
	}
}
