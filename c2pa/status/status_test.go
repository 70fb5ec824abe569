package status_test

import (
	"encoding/json"
	"strings"
	"testing"

	"provgraph/c2pa/status"
)

func TestTableIsConsistent(t *testing.T) {
	seen := map[status.Code]bool{}
	for _, row := range status.Table() {
		if seen[row.Code] {
			t.Errorf("duplicate code %q", row.Code)
		}
		seen[row.Code] = true
		if row.Meaning == "" || !strings.HasSuffix(row.Meaning, ".") {
			t.Errorf("%s: meaning %q must be a sentence", row.Code, row.Meaning)
		}
		switch row.Source {
		case "c2pa", "c2pa-rs", "cawg":
		default:
			t.Errorf("%s: unknown source %q", row.Code, row.Source)
		}
		if strings.HasPrefix(string(row.Code), "cawg.") != (row.Source == "cawg") {
			t.Errorf("%s: source %q does not fit the namespace", row.Code, row.Source)
		}
	}
}

func TestKinds(t *testing.T) {
	tests := []struct {
		code     status.Code
		kind     status.Kind
		readBack status.Kind
	}{
		{status.ClaimSignatureValidated, status.Success, status.Success},
		{status.TimeStampUntrusted, status.Informational, status.Informational},
		{status.SigningCredentialUntrusted, status.Failure, status.Failure},
		{status.SigningCredentialExpired, status.Failure, status.Failure},
		// RS-QUIRK: c2pa-rs re-reads these with other kinds.
		{status.IngredientManifestMissing, status.Failure, status.Success},
		{status.SigningCredentialOCSPUnknown, status.Failure, status.Informational},
		{status.CAWGICACredentialValid, status.Success, status.Failure},
		{status.CAWGICAUntrustedIssuer, status.Informational, status.Informational},
		{"org.example.custom", status.Failure, status.Failure},
	}
	for _, tt := range tests {
		if got := tt.code.Kind(); got != tt.kind {
			t.Errorf("%s.Kind() = %v, want %v", tt.code, got, tt.kind)
		}
		if got := status.ReadBackKind(tt.code); got != tt.readBack {
			t.Errorf("ReadBackKind(%s) = %v, want %v", tt.code, got, tt.readBack)
		}
	}
}

func TestTolerated(t *testing.T) {
	for code, want := range map[status.Code]bool{
		status.SigningCredentialUntrusted:  true,
		status.CAWGX509CredentialUntrusted: true,
		status.SigningCredentialInvalid:    false,
		status.SigningCredentialExpired:    false,
		status.CAWGICASignatureMismatch:    false,
	} {
		if got := status.Tolerated(code); got != want {
			t.Errorf("Tolerated(%s) = %v, want %v", code, got, want)
		}
	}
}

func TestLog(t *testing.T) {
	var l status.Log
	l.Success(status.ClaimSignatureValidated, "self#jumbf=/c2pa/a/c2pa.signature", "claim signature valid")
	l.PushIngredient("self#jumbf=/c2pa/a/c2pa.assertions/c2pa.ingredient")
	l.Failure(status.AssertionDataHashMismatch, "u", "")
	l.PushIngredient("inner")
	l.Informational(status.TimeStampUntrusted, "", "x")
	l.PopIngredient()
	l.Append(status.Entry{Code: status.SigningCredentialUntrusted, Kind: status.Failure})
	l.PopIngredient()
	l.PopIngredient() // extra pops are harmless
	l.Success(status.AssertionHashedURIMatch, "", "")

	got := l.Entries()
	wantIngr := []string{"", "self#jumbf=/c2pa/a/c2pa.assertions/c2pa.ingredient", "inner", "self#jumbf=/c2pa/a/c2pa.assertions/c2pa.ingredient", ""}
	if len(got) != len(wantIngr) {
		t.Fatalf("got %d entries, want %d", len(got), len(wantIngr))
	}
	for i, e := range got {
		if e.Ingredient != wantIngr[i] {
			t.Errorf("entry %d (%s): ingredient %q, want %q", i, e, e.Ingredient, wantIngr[i])
		}
	}
	if !l.Has(status.TimeStampUntrusted) || l.Has(status.ClaimMissing) {
		t.Error("Has is wrong")
	}
	if !l.HasFailure() || len(l.Filter(status.Failure)) != 2 || len(l.Filter(status.Success)) != 2 {
		t.Errorf("Filter/HasFailure wrong: %v", got)
	}

	b, err := json.Marshal(got[0])
	if err != nil {
		t.Fatal(err)
	}
	want := `{"code":"claimSignature.validated","url":"self#jumbf=/c2pa/a/c2pa.signature","explanation":"claim signature valid"}`
	if string(b) != want {
		t.Errorf("JSON = %s, want %s", b, want)
	}
	var empty status.Log
	if b, _ := json.Marshal(&empty); string(b) != "[]" {
		t.Errorf("empty log JSON = %s", b)
	}
}

func TestKindText(t *testing.T) {
	for _, k := range []status.Kind{status.Success, status.Informational, status.Failure} {
		b, err := k.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back status.Kind
		if err := back.UnmarshalText(b); err != nil || back != k {
			t.Errorf("round trip of %v gave %v, %v", k, back, err)
		}
	}
	var k status.Kind
	if err := k.UnmarshalText([]byte("bogus")); err == nil {
		t.Error("bogus kind accepted")
	}
}
