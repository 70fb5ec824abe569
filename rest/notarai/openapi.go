package notarai

import _ "embed"

//go:embed openapi.json
var openapiDoc []byte

// OpenAPI returns the API's OpenAPI 3.1 document: every path under
// Prefix, every component named Notarai….
func OpenAPI() []byte { return openapiDoc }
