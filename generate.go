package main

// Code generation, in dependency order: ent (with the entgql extension,
// which also writes schema/ent.graphql), then gqlgen over schema/*.graphql.
// Migration files are not generated here: they are written on purpose with
// `go run ./db/migrate/gen <name>` when the ent schema changes.

//go:generate go run ./ent/entc.go
//go:generate go run github.com/99designs/gqlgen generate --config gqlgen.yml
