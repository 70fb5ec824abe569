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

// mountREST mounts the REST APIs, each under its prefix, and their merged
// OpenAPI document and page.
func mountREST(mux *http.ServeMux, d Deps, o Options) {
	mux.Handle(op.Prefix+"/", http.StripPrefix(op.Prefix, op.NewHandler(op.Deps{
		Client: d.Client, Accounts: d.Accounts, Assets: d.Assets, Signing: d.Signing,
		Verifications: d.Verifications, Downloads: d.Downloads, Storage: d.Storage,
		Jobs: d.Jobs, Webhooks: d.Webhooks, Quota: d.Quota, Logger: d.Logger,
	}, o.OP)))
	mux.Handle(notarai.Prefix+"/", http.StripPrefix(notarai.Prefix, notarai.NewHandler(notarai.Deps{
		Client: d.Client, Accounts: d.Accounts, Assets: d.Assets, Collections: d.Collections,
		Signing: d.Signing, Verifications: d.Verifications, Jobs: d.Jobs, Workflows: d.Workflows,
		Downloads: d.Downloads, Quota: d.Quota, Logger: d.Logger,
	}, o.Notarai)))
	mux.Handle(numbers.Prefix+"/", http.StripPrefix(numbers.Prefix, numbers.NewHandler(numbers.Deps{
		Client: d.Client, Accounts: d.Accounts, Assets: d.Assets, Signing: d.Signing,
		Quota: d.Quota, Logger: d.Logger,
	}, o.Numbers)))
	docs := restAPIDocs()
	mux.Handle("GET "+openapi.DocumentPath, docs)
	mux.Handle("GET "+openapi.PagePath, docs)
}

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
