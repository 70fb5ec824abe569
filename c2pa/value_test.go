package c2pa

import (
	"encoding/json"
	"testing"
)

func TestCBORToJSON(t *testing.T) {
	for _, tt := range []struct {
		name string
		cbor []byte
		json string
	}{
		{"map order kept", []byte{0xa2, 0x61, 'b', 0x01, 0x61, 'a', 0x02}, `{"b":1,"a":2}`},
		{"bstr becomes base64", []byte{0xa1, 0x61, 'h', 0x43, 1, 2, 3}, `{"h":"AQID"}`},
		{"empty bstr stays array", []byte{0xa1, 0x61, 'h', 0x40}, `{"h":[]}`},
		{"integer array becomes base64", []byte{0xa1, 0x61, 'n', 0x82, 0x01, 0x02}, `{"n":"AQI="}`},
		{"negative", []byte{0xa1, 0x61, 'n', 0x20}, `{"n":-1}`},
		{"float32 shortest", []byte{0xa1, 0x61, 'f', 0xfa, 0x40, 0x14, 0x7a, 0xe1}, `{"f":2.32}`},
		{"float64 integral", []byte{0xa1, 0x61, 'f', 0xfb, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0}, `{"f":1.0}`},
		{"tag dropped", []byte{0xa1, 0x61, 't', 0xc0, 0x61, 'x'}, `{"t":"x"}`},
		{"indefinite array", []byte{0x9f, 0x01, 0xff}, `[1]`},
		{"simple values", []byte{0x83, 0xf4, 0xf5, 0xf6}, `[false,true,null]`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v, err := cborToValue(tt.cbor)
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(hashToB64(v))
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.json {
				t.Errorf("got %s, want %s", b, tt.json)
			}
		})
	}
}

func TestCBORToValueRejects(t *testing.T) {
	deep := make([]byte, 0, 300)
	for range 300 {
		deep = append(deep, 0x81)
	}
	deep = append(deep, 0x01)
	for _, tt := range []struct {
		name string
		cbor []byte
	}{
		{"truncated", []byte{0x82, 0x01}},
		{"huge length", []byte{0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
		{"trailing", []byte{0x01, 0x02}},
		{"too deep", deep},
		{"bad utf8", []byte{0x61, 0xff}},
		{"stray break", []byte{0xff}},
	} {
		if _, err := cborToValue(tt.cbor); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}

func TestJSONToCBORKeepsOrder(t *testing.T) {
	b, err := jsonToCBOR([]byte(`{"z":1,"a":[true,null,-2,1.5,"s"]}`))
	if err != nil {
		t.Fatal(err)
	}
	v, err := cborToValue(b)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(v)
	if string(out) != `{"z":1,"a":[true,null,-2,1.5,"s"]}` {
		t.Errorf("got %s", out)
	}
}
