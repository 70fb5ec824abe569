// Package dbtest gives each test a fresh, empty database: a SQLite file in
// the test's temporary folder, and, when PROVGRAPH_TEST_DATABASE_URL names a
// PostgreSQL server, a throwaway PostgreSQL database created for the test
// and dropped after it. Imported by tests only.
package dbtest
