package server

import (
	"fmt"
	"net/http"

	"provgraph/c2pa"
	"provgraph/rest/notarai"
	"provgraph/rest/numbers"
	"provgraph/rest/op"
	"provgraph/rest/openapi"
)

// restAPIInfo is the info object of the published OpenAPI document.
var restAPIInfo = openapi.Info{
	Title:       "provgraph REST APIs",
	Version:     c2pa.ProvgraphVersion,
	Description: "The v1 REST APIs of the systems provgraph replaces, each under its own prefix; GraphQL is at /graphql.",
}

// restAPIDocuments are the OpenAPI documents of the REST APIs the server
// mounts, merged into /openapi.json: each REST package exports its own
// (rest/<api>.OpenAPI). A new REST API adds its document here.
func restAPIDocuments() [][]byte {
	return [][]byte{op.OpenAPI(), notarai.OpenAPI(), numbers.OpenAPI()}
}

// restAPIDocs serves the merged document and its page. The documents are
// embedded in the binary, so one that does not merge is a bug that no
// start can recover from.
func restAPIDocs() http.Handler {
	h, err := openapi.Handler(restAPIInfo, restAPIDocuments()...)
	if err != nil {
		panic(fmt.Sprintf("server: the REST APIs' OpenAPI documents do not merge: %v", err))
	}
	return h
}
