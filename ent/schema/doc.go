// Package schema defines the provenance graph as ent schemas: one file per
// entity, plus the mixins every tenant-owned entity shares. Everything else
// under ent/ is generated from it by `go generate ./...`.
package schema
