//go:build ignore

// Command entc generates the ent client and the entgql GraphQL schema from
// ent/schema. It is run by `go generate ./...` from the module root.
package main

import (
	"log"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/entc"
	"entgo.io/ent/entc/gen"
)

func main() {
	ex, err := entgql.NewExtension(
		entgql.WithConfigPath("./gqlgen.yml"),
		entgql.WithSchemaGenerator(),
		entgql.WithSchemaPath("./schema/ent.graphql"),
		entgql.WithWhereInputs(true),
	)
	if err != nil {
		log.Fatalf("entc: creating entgql extension: %v", err)
	}
	err = entc.Generate("./ent/schema", &gen.Config{
		Target:  "./ent",
		Package: "provgraph/ent",
		Features: []gen.Feature{
			// Type-range global IDs: each table owns a 1<<32 range of IDs
			// (ent/internal/globalid.go), so an ID names its type.
			gen.FeatureGlobalID,
			// Raw SQL on a client or transaction, for work that shares an
			// ent transaction (e.g. enqueuing River jobs).
			gen.FeatureExecQuery,
			// Typed query interceptors, used by the tenant filter of
			// ent/schema's AccountMixin.
			gen.FeatureIntercept,
		},
	}, entc.Extensions(ex))
	if err != nil {
		log.Fatalf("entc: generating: %v", err)
	}
}
