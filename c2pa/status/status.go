package status

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Kind says whether a status reports a success, a fact worth knowing
// (informational) or a failure. It decides the validation_results bucket an
// entry lands in.
type Kind uint8

// The three kinds of status, in the order validation_results lists them.
const (
	Success Kind = iota
	Informational
	Failure
)

// String returns the kind's name as used in validation_results keys.
func (k Kind) String() string {
	switch k {
	case Success:
		return "success"
	case Informational:
		return "informational"
	case Failure:
		return "failure"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// MarshalText encodes the kind as its name.
func (k Kind) MarshalText() ([]byte, error) {
	switch k {
	case Success, Informational, Failure:
		return []byte(k.String()), nil
	}
	return nil, fmt.Errorf("status: invalid kind %d", uint8(k))
}

// UnmarshalText decodes a kind from its name.
func (k *Kind) UnmarshalText(b []byte) error {
	switch string(b) {
	case "success":
		*k = Success
	case "informational":
		*k = Informational
	case "failure":
		*k = Failure
	default:
		return fmt.Errorf("status: unknown kind %q", b)
	}
	return nil
}

// Code is a validation status code such as "claimSignature.validated".
// Codes outside the table (entity-namespaced custom codes, codes read back
// from other validators) are valid values too.
type Code string

// Info is one row of the status table.
type Info struct {
	// Code is the status code.
	Code Code `json:"code"`
	// Kind is the kind this code is normally reported with.
	Kind Kind `json:"kind"`
	// Meaning explains in plain language what the code says about an asset.
	Meaning string `json:"meaning"`
	// Source is "c2pa" for codes of the C2PA specification, "c2pa-rs" for
	// codes only c2pa-rs emits, "cawg" for CAWG identity-assertion codes.
	Source string `json:"source"`
}

// Lookup returns the table row of code.
func Lookup(code Code) (Info, bool) {
	i, ok := index[code]
	if !ok {
		return Info{}, false
	}
	return table[i], true
}

// Table returns a copy of the whole status table in its documented order.
func Table() []Info {
	out := make([]Info, len(table))
	copy(out, table)
	return out
}

// Known reports whether code is in the table.
func (c Code) Known() bool {
	_, ok := index[c]
	return ok
}

// Kind returns the kind code is normally reported with: the table's kind,
// or Failure for a code the table does not know.
func (c Code) Kind() Kind {
	if i, ok := index[c]; ok {
		return table[i].Kind
	}
	return Failure
}

// Meaning returns the plain-language meaning of code, or "" if unknown.
func (c Code) Meaning() string {
	if i, ok := index[c]; ok {
		return table[i].Meaning
	}
	return ""
}

// ReadBackKind returns the kind c2pa-rs assigns to a status code it reads back
// from a stored validation status (an ingredient assertion's
// validationResults): c2pa-rs `log_kind`. It differs from Code.Kind on
// purpose (RS-QUIRK): ingredient.manifest.missing counts as success,
// signingCredential.ocsp.unknown as informational, and every code outside
// its short lists — including most cawg.* codes — as failure.
func ReadBackKind(c Code) Kind {
	switch c {
	case ClaimSignatureValidated, ClaimSignatureInsideValidity, SigningCredentialTrusted,
		SigningCredentialOCSPNotRevoked, TimeStampTrusted, TimeStampValidated,
		AssertionHashedURIMatch, AssertionDataHashMatch, AssertionBMFFHashMatch,
		AssertionAccessible, AssertionBoxesHashMatch, AssertionCollectionHashMatch,
		IngredientManifestValidated, IngredientManifestMissing,
		IngredientClaimSignatureValidated, CAWGX509CredentialTrusted,
		CAWGX509SignatureValidated:
		return Success
	case SigningCredentialOCSPSkipped, SigningCredentialOCSPInaccessible,
		SigningCredentialOCSPUnknown, TimeStampUntrusted, TimeStampOutsideValidity,
		TimeStampMismatch, TimeStampMalformed, ManifestUnknownProvenance,
		AlgorithmDeprecated, TimeOfSigningInsideValidity, IngredientUnknownProvenance,
		AssertionDataHashAdditionalExclusionsPresent, CAWGICAUntrustedIssuer:
		return Informational
	}
	return Failure
}

// Tolerated reports whether a failure with this code still allows the
// validation state Valid, as c2pa-rs decides it: signingCredential.untrusted
// and every cawg.x509.* code.
func Tolerated(c Code) bool {
	return c == SigningCredentialUntrusted || strings.HasPrefix(string(c), "cawg.x509.")
}

// Entry is one validation status as the report JSON carries it
// ({code, url, explanation}), plus the kind it was logged with and the
// ingredient it belongs to, which decide where validation_results puts it.
type Entry struct {
	// Code is the status code.
	Code Code `json:"code"`
	// URL points at the thing validated, e.g.
	// "self#jumbf=/c2pa/<label>/c2pa.signature".
	URL string `json:"url,omitempty"`
	// Explanation is the validator's human-readable reason.
	Explanation string `json:"explanation,omitempty"`
	// Kind is the kind the entry was logged with; it can differ from
	// Code.Kind (c2pa-rs logs ingredient.claimSignature.validated as
	// informational, for instance).
	Kind Kind `json:"-"`
	// Ingredient is the absolute URI of the ingredient assertion whose
	// validation produced the entry, or "" for the active manifest.
	Ingredient string `json:"-"`
}

// String formats the entry for logs and test failures.
func (e Entry) String() string {
	s := e.Kind.String() + " " + string(e.Code)
	if e.URL != "" {
		s += " @" + e.URL
	}
	if e.Explanation != "" {
		s += ": " + e.Explanation
	}
	return s
}

// Log accumulates validation entries in the order they are reported, like
// c2pa-rs's status tracker. While an ingredient is pushed, new entries are
// tagged with its URI. The zero Log is ready to use; a Log is not safe for
// concurrent use.
type Log struct {
	entries     []Entry
	ingredients []string
}

// Add appends e, tagging it with the current ingredient if e has none.
func (l *Log) Add(e Entry) {
	if e.Ingredient == "" && len(l.ingredients) > 0 {
		e.Ingredient = l.ingredients[len(l.ingredients)-1]
	}
	l.entries = append(l.entries, e)
}

// Success logs code as a success.
func (l *Log) Success(code Code, url, explanation string) {
	l.Add(Entry{Code: code, URL: url, Explanation: explanation, Kind: Success})
}

// Informational logs code as informational.
func (l *Log) Informational(code Code, url, explanation string) {
	l.Add(Entry{Code: code, URL: url, Explanation: explanation, Kind: Informational})
}

// Failure logs code as a failure.
func (l *Log) Failure(code Code, url, explanation string) {
	l.Add(Entry{Code: code, URL: url, Explanation: explanation, Kind: Failure})
}

// Append adds entries produced elsewhere (e.g. by a trust evaluation),
// keeping their kinds and tagging them with the current ingredient.
func (l *Log) Append(entries ...Entry) {
	for _, e := range entries {
		l.Add(e)
	}
}

// PushIngredient starts tagging new entries with the ingredient assertion
// URI uri until the matching PopIngredient.
func (l *Log) PushIngredient(uri string) {
	l.ingredients = append(l.ingredients, uri)
}

// PopIngredient ends the innermost PushIngredient. It is a no-op when no
// ingredient is pushed.
func (l *Log) PopIngredient() {
	if n := len(l.ingredients); n > 0 {
		l.ingredients = l.ingredients[:n-1]
	}
}

// Entries returns a copy of the logged entries in order.
func (l *Log) Entries() []Entry {
	out := make([]Entry, len(l.entries))
	copy(out, l.entries)
	return out
}

// Len returns the number of logged entries.
func (l *Log) Len() int { return len(l.entries) }

// Has reports whether an entry with code was logged.
func (l *Log) Has(code Code) bool {
	for _, e := range l.entries {
		if e.Code == code {
			return true
		}
	}
	return false
}

// HasFailure reports whether any failure was logged.
func (l *Log) HasFailure() bool {
	for _, e := range l.entries {
		if e.Kind == Failure {
			return true
		}
	}
	return false
}

// Filter returns the entries of kind k in order.
func (l *Log) Filter(k Kind) []Entry {
	var out []Entry
	for _, e := range l.entries {
		if e.Kind == k {
			out = append(out, e)
		}
	}
	return out
}

// MarshalJSON encodes the log as the array of its entries.
func (l *Log) MarshalJSON() ([]byte, error) {
	if l.entries == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(l.entries)
}
