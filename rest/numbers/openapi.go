package numbers

import _ "embed"

//go:embed openapi.json
var openAPI []byte

// OpenAPI returns the OpenAPI 3.1 document of the API, its paths under
// the mount prefix /numbers/api/v3 and its components named Numbers….
// The caller must not modify the slice.
func OpenAPI() []byte { return openAPI }
