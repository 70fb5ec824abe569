// Package openapi merges the OpenAPI 3.1 documents of the REST APIs into
// the one document the server publishes at /openapi.json. Each API keeps a
// complete document of its own (paths under its mount prefix, component
// names prefixed with the API's name so that they never clash).
package openapi
