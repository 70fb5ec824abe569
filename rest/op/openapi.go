package op

import _ "embed"

//go:embed openapi.json
var openAPI []byte

// OpenAPI returns the API's OpenAPI 3.1 document, its paths under Prefix
// and its component names starting with "Op".
func OpenAPI() []byte { return openAPI }
