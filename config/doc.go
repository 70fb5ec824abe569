// Package config is the one configuration of `provgraph serve`: read from
// flags, which default to PROVGRAPH_* (and DATABASE_URL) environment
// variables, and validated once at start with a message that names the
// setting at fault.
package config
