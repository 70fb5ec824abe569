// Package db opens the database (SQLite by default, PostgreSQL for a
// postgres:// URL), applies the versioned migrations embedded in the binary,
// and runs work in ent transactions. It holds no domain logic.
package db
