package cose

import (
	"crypto"
	"fmt"
	"strings"
)

// Algorithm is a COSE signature algorithm identifier (C2PA 2.2 §13.2.1).
type Algorithm int64

// The algorithms C2PA allows for claim signatures.
const (
	ES256 Algorithm = -7
	ES384 Algorithm = -35
	ES512 Algorithm = -36
	PS256 Algorithm = -37
	PS384 Algorithm = -38
	PS512 Algorithm = -39
	EdDSA Algorithm = -8 // Ed25519 only
)

// Algorithms lists the supported algorithms in c2pa-rs's order.
var Algorithms = []Algorithm{ES256, ES384, ES512, PS256, PS384, PS512, EdDSA}

// Supported reports whether a is one of the C2PA algorithms.
func (a Algorithm) Supported() bool {
	switch a {
	case ES256, ES384, ES512, PS256, PS384, PS512, EdDSA:
		return true
	}
	return false
}

// Hash returns the digest the algorithm signs with; 0 for EdDSA, which
// signs the message itself.
func (a Algorithm) Hash() crypto.Hash {
	switch a {
	case ES256, PS256:
		return crypto.SHA256
	case ES384, PS384:
		return crypto.SHA384
	case ES512, PS512:
		return crypto.SHA512
	}
	return 0
}

// String returns the lower-case name c2pa-rs uses in settings and messages
// ("es256" … "ed25519").
func (a Algorithm) String() string {
	switch a {
	case ES256:
		return "es256"
	case ES384:
		return "es384"
	case ES512:
		return "es512"
	case PS256:
		return "ps256"
	case PS384:
		return "ps384"
	case PS512:
		return "ps512"
	case EdDSA:
		return "ed25519"
	}
	return fmt.Sprintf("alg(%d)", int64(a))
}

// ReportName returns the name c2pa-rs's report JSON uses in
// signature_info.alg ("Es256" … "Ed25519").
func (a Algorithm) ReportName() string {
	s := a.String()
	if !a.Supported() {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// ParseAlgorithm maps a name in either spelling ("es256", "ES256", "Es256",
// "ed25519", "EdDSA") to its Algorithm.
func ParseAlgorithm(name string) (Algorithm, error) {
	for _, a := range Algorithms {
		if strings.EqualFold(name, a.String()) {
			return a, nil
		}
	}
	if strings.EqualFold(name, "eddsa") {
		return EdDSA, nil
	}
	return 0, fmt.Errorf("%w: %q", ErrUnsupportedAlgorithm, name)
}
