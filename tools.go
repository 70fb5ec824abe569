//go:build tools

package main

// Tools used by go generate, pinned in go.mod.
import (
	_ "entgo.io/contrib/entgql"
	_ "entgo.io/ent/entc/gen"
	_ "github.com/99designs/gqlgen"
)
