// Package openapitest checks, in tests, that HTTP responses are what an
// OpenAPI 3.1 document says they are (github.com/pb33f/libopenapi-validator).
package openapitest
