// Package schema defines the provenance graph as ent schemas: one file per
// entity, plus the mixins every tenant-owned entity shares. Everything else
// under ent/ is generated from it by `go generate ./...`.
//
// IDs are global across types by type ranges: each table owns a range of
// 1<<32 IDs (ent's FeatureGlobalID; the ranges are recorded in
// ent/internal/globalid.go and set as identity/autoincrement starts by the
// migrations), so an ID alone names its type and Relay's node(id:) needs no
// prefix. Tenant isolation lives here too, in AccountMixin: queries are
// filtered and mutations stamped with the caller's account.
package schema
