package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
)

// Config configures the server.
type Config struct {
	// Addr is the TCP address to listen on.
	Addr string
	// DataDir holds the SQLite database and, by default, the blobs.
	DataDir string
	// DatabaseURL selects PostgreSQL (postgres://...) or a SQLite file
	// (sqlite://path); empty means SQLite under DataDir.
	DatabaseURL string
	// StorageURL is the blob store (a folder, file://, s3://, mem://);
	// empty means the folder blobs under DataDir.
	StorageURL string
	// PublicURL is the externally visible base URL of the server, for links
	// it hands out; empty means it is derived from each request.
	PublicURL string
	// AdminKey, when set, is the exact key of the admin account created on
	// first start. It is read from the environment only, never a flag, so
	// it does not show in process listings.
	AdminKey string
	// MaxUploadBytes bounds the body of every request.
	MaxUploadBytes int64
	// MaxQueryDepth bounds the nesting of GraphQL selections.
	MaxQueryDepth int
	// MaxComplexity bounds the complexity score of a GraphQL operation.
	MaxComplexity int
	// RateLimit is the sustained GraphQL operations per second allowed per
	// API key; zero disables the limit.
	RateLimit float64
	// RateBurst is how many operations a key may make at once.
	RateBurst int
	// ShutdownTimeout is how long in-flight requests get on SIGTERM.
	ShutdownTimeout time.Duration
	// LogLevel is debug, info, warn or error.
	LogLevel string
}

// Default returns the configuration with every default applied and no
// environment read.
func Default() Config {
	return Config{
		Addr:            ":8080",
		DataDir:         "./data",
		MaxUploadBytes:  100 << 20,
		MaxQueryDepth:   12,
		MaxComplexity:   20000,
		RateLimit:       50,
		RateBurst:       100,
		ShutdownTimeout: 20 * time.Second,
		LogLevel:        "info",
	}
}

// Bind registers the flags of c on fs. Each flag defaults to its
// environment variable when set, else to the value already in c; flags
// given on the command line win. lookup reads the environment (os.LookupEnv
// in production).
func (c *Config) Bind(fs *pflag.FlagSet, lookup func(string) (string, bool)) error {
	var errs []error
	str := func(p *string, name, env, usage string) {
		if v, ok := lookup(env); ok {
			*p = v
		}
		fs.StringVar(p, name, *p, usage+" (env "+env+")")
	}
	i64 := func(p *int64, name, env, usage string) {
		if v, ok := lookup(env); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", env, err))
			}
			*p = n
		}
		fs.Int64Var(p, name, *p, usage+" (env "+env+")")
	}
	integer := func(p *int, name, env, usage string) {
		if v, ok := lookup(env); ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", env, err))
			}
			*p = n
		}
		fs.IntVar(p, name, *p, usage+" (env "+env+")")
	}
	str(&c.Addr, "addr", "PROVGRAPH_ADDR", "address to listen on")
	str(&c.DataDir, "data", "PROVGRAPH_DATA", "data folder (SQLite database, default blob store)")
	str(&c.DatabaseURL, "database-url", "DATABASE_URL", "postgres:// URL for PostgreSQL; empty for SQLite under --data")
	str(&c.StorageURL, "storage-url", "PROVGRAPH_STORAGE_URL", "blob store: folder, file://, s3:// or mem:// URL; empty for <data>/blobs")
	str(&c.PublicURL, "public-url", "PROVGRAPH_PUBLIC_URL", "externally visible base URL, e.g. https://provgraph.example.com")
	str(&c.LogLevel, "log-level", "PROVGRAPH_LOG_LEVEL", "debug, info, warn or error")
	i64(&c.MaxUploadBytes, "max-upload-bytes", "PROVGRAPH_MAX_UPLOAD_BYTES", "largest request body accepted")
	integer(&c.MaxQueryDepth, "max-query-depth", "PROVGRAPH_MAX_QUERY_DEPTH", "deepest GraphQL selection accepted")
	integer(&c.MaxComplexity, "max-complexity", "PROVGRAPH_MAX_COMPLEXITY", "highest GraphQL complexity accepted")
	if v, ok := lookup("PROVGRAPH_RATE_LIMIT"); ok {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			errs = append(errs, fmt.Errorf("PROVGRAPH_RATE_LIMIT: %w", err))
		}
		c.RateLimit = f
	}
	fs.Float64Var(&c.RateLimit, "rate-limit", c.RateLimit, "GraphQL operations per second per API key, 0 for no limit (env PROVGRAPH_RATE_LIMIT)")
	integer(&c.RateBurst, "rate-burst", "PROVGRAPH_RATE_BURST", "GraphQL operations an API key may make at once")
	if v, ok := lookup("PROVGRAPH_SHUTDOWN_TIMEOUT"); ok {
		d, err := time.ParseDuration(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("PROVGRAPH_SHUTDOWN_TIMEOUT: %w", err))
		}
		c.ShutdownTimeout = d
	}
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", c.ShutdownTimeout, "grace period for in-flight requests on SIGTERM (env PROVGRAPH_SHUTDOWN_TIMEOUT)")
	if v, ok := lookup("PROVGRAPH_ADMIN_KEY"); ok {
		c.AdminKey = v
	}
	return errors.Join(errs...)
}

// FromEnv returns the defaults overridden by the environment, for callers
// that have no flags.
func FromEnv() (Config, error) {
	c := Default()
	err := c.Bind(pflag.NewFlagSet("env", pflag.ContinueOnError), os.LookupEnv)
	return c, err
}

// Validate checks c and fills in what derives from other settings
// (StorageURL from DataDir). Its errors name the flag at fault.
func (c *Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("--addr %q: want host:port or :port: %w", c.Addr, err))
	}
	if c.DataDir == "" {
		errs = append(errs, errors.New("--data: must not be empty"))
	}
	if c.DatabaseURL != "" {
		u, err := url.Parse(c.DatabaseURL)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("--database-url: %w", err))
		case u.Scheme != "postgres" && u.Scheme != "postgresql" && u.Scheme != "sqlite":
			errs = append(errs, fmt.Errorf("--database-url: scheme %q: want postgres:// or sqlite://", u.Scheme))
		}
	}
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("--public-url %q: want an absolute http(s) URL", c.PublicURL))
		}
		c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	}
	if c.MaxUploadBytes <= 0 {
		errs = append(errs, fmt.Errorf("--max-upload-bytes %d: must be positive", c.MaxUploadBytes))
	}
	if c.MaxQueryDepth <= 0 {
		errs = append(errs, fmt.Errorf("--max-query-depth %d: must be positive", c.MaxQueryDepth))
	}
	if c.MaxComplexity <= 0 {
		errs = append(errs, fmt.Errorf("--max-complexity %d: must be positive", c.MaxComplexity))
	}
	if c.RateLimit < 0 {
		errs = append(errs, fmt.Errorf("--rate-limit %g: must not be negative", c.RateLimit))
	}
	if c.RateLimit > 0 && c.RateBurst <= 0 {
		errs = append(errs, fmt.Errorf("--rate-burst %d: must be positive", c.RateBurst))
	}
	if c.ShutdownTimeout < 0 {
		errs = append(errs, fmt.Errorf("--shutdown-timeout %s: must not be negative", c.ShutdownTimeout))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("--log-level %q: want debug, info, warn or error", c.LogLevel))
	}
	if c.StorageURL == "" && c.DataDir != "" {
		c.StorageURL = filepath.Join(c.DataDir, "blobs")
	}
	return errors.Join(errs...)
}
