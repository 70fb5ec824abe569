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

	"provgraph/outbound"
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
	// it hands out (verify pages, downloads); empty means http://<addr>.
	PublicURL string
	// AdminKey, when set, is the exact key of the admin account created on
	// first start. It is read from the environment only, never a flag, so
	// it does not show in process listings.
	AdminKey string
	// MaxUploadBytes bounds the body of every request.
	MaxUploadBytes int64
	// MaxFileBytes bounds each uploaded file; a larger one is refused
	// with FILE_TOO_LARGE and not stored.
	MaxFileBytes int64
	// NotaraiMaxFileBytes bounds each file uploaded through the NotarAI API
	// (/notarai/api/v1), as NotarAI documents it; MaxFileBytes applies too.
	NotaraiMaxFileBytes int64
	// NumbersFetchTimeout bounds fetching the fileURL of the Numbers API's
	// POST /nid (/numbers/api/v3), body included.
	NumbersFetchTimeout time.Duration
	// RetentionInterval is how often the retention sweeper runs.
	RetentionInterval time.Duration
	// MaxQueryDepth bounds the nesting of GraphQL selections.
	MaxQueryDepth int
	// MaxComplexity bounds the complexity score of a GraphQL operation.
	MaxComplexity int
	// RateLimit is the sustained GraphQL operations per second allowed per
	// API key; zero disables the limit.
	RateLimit float64
	// RateBurst is how many operations a key may make at once.
	RateBurst int
	// KeyRequestsPerMinute is how many GraphQL operations one API key may
	// make in a clock minute, counted in the database so that every
	// instance shares the count; zero disables the limit.
	KeyRequestsPerMinute int
	// KeyScansPerDay, KeySignsPerDay and KeyVerifiesPerDay cap the assets
	// one API key scans, signs and verifies in a UTC day, on top of the
	// plan's monthly quotas; zero (the default) sets no per-key cap.
	KeyScansPerDay    int
	KeySignsPerDay    int
	KeyVerifiesPerDay int
	// ShutdownTimeout is how long in-flight requests get on SIGTERM.
	ShutdownTimeout time.Duration
	// LogLevel is debug, info, warn or error.
	LogLevel string
	// SignerCert and SignerKey are the PEM certificate chain (leaf first)
	// and private key assets are signed with; both empty means the
	// development signer kept under DataDir/signer.
	SignerCert string
	SignerKey  string
	// TrustAnchors is a PEM bundle of extra trust anchors, added to the
	// embedded C2PA trust list. The development signer's root is not
	// trusted unless it is named here (DataDir/signer/root.pem), so that
	// a development instance never vouches for itself by accident.
	TrustAnchors string
	// Secret keys the download URLs (at least 32 bytes). It is read from
	// the environment only; empty means a random secret generated once and
	// kept in DataDir/secret (mode 0600).
	Secret string
	// VerificationTTL is how long a cached verification stays readable.
	VerificationTTL time.Duration
	// DownloadTTL is how long a download URL works.
	DownloadTTL time.Duration
	// Workers is how many job items (and webhook deliveries) this
	// instance works on at once; 0 makes an instance that queues jobs for
	// others to work (an API-only node).
	Workers int
	// JobTimeout bounds the work on one job item.
	JobTimeout time.Duration
	// JobRescueAfter is how long an item may stay running before it is
	// taken to belong to a crashed instance and retried; longer than
	// JobTimeout.
	JobRescueAfter time.Duration
	// JobRetention is how long a job and its items are kept after they
	// were created.
	JobRetention time.Duration
	// WebhookMaxAttempts caps the attempts to deliver one webhook message.
	WebhookMaxAttempts int
	// WebhookBackoff is the wait before the second attempt; each further
	// one waits twice as long as the one before, up to an hour.
	WebhookBackoff time.Duration
	// OutboundAllow lists the hosts and CIDRs outbound requests (webhook
	// deliveries, remote manifests) may reach although they are private,
	// loopback or link-local; see outbound.ParseAllow.
	OutboundAllow string
	// OP holds the limits of the OP Protocol v1 API (/op/api/v1).
	OP OPLimits
}

// OPLimits are the OP Protocol's limits per tier: a caller without a key,
// counted by client IP, and each API key (which may carry its own). Zero
// disables a limit.
type OPLimits struct {
	// AnonRequestsPerMinute, AnonSignsPerDay and AnonVerifiesPerDay limit
	// each client IP without a key (5, 10, 10).
	AnonRequestsPerMinute int
	AnonSignsPerDay       int
	AnonVerifiesPerDay    int
	// KeyRequestsPerMinute, KeySignsPerDay and KeyVerifiesPerDay limit
	// each API key without limits of its own (20, 100, 100).
	KeyRequestsPerMinute int
	KeySignsPerDay       int
	KeyVerifiesPerDay    int
	// DownloadTTL is how long a signed file stays downloadable.
	DownloadTTL time.Duration
}

// Default returns the configuration with every default applied and no
// environment read.
func Default() Config {
	return Config{
		Addr:              ":8080",
		DataDir:           "./data",
		MaxUploadBytes:    256 << 20, // a batch of 20 files up to 200 MB in all, with its multipart framing
		MaxFileBytes:      50 << 20,
		RetentionInterval: time.Minute,
		MaxQueryDepth:     12,
		MaxComplexity:     20000,
		RateLimit:         50,
		RateBurst:         100,
		ShutdownTimeout:   20 * time.Second,
		LogLevel:          "info",
		VerificationTTL:   time.Hour,
		DownloadTTL:       10 * time.Minute,

		Workers:            4,
		JobTimeout:         10 * time.Minute,
		JobRescueAfter:     15 * time.Minute,
		JobRetention:       7 * 24 * time.Hour,
		WebhookMaxAttempts: 8,
		WebhookBackoff:     10 * time.Second,

		KeyRequestsPerMinute: 600,

		NotaraiMaxFileBytes: 20 << 20,
		NumbersFetchTimeout: 30 * time.Second,

		OP: OPLimits{
			AnonRequestsPerMinute: 5, AnonSignsPerDay: 10, AnonVerifiesPerDay: 10,
			KeyRequestsPerMinute: 20, KeySignsPerDay: 100, KeyVerifiesPerDay: 100,
			DownloadTTL: time.Hour,
		},
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
	str(&c.PublicURL, "public-url", "PROVGRAPH_PUBLIC_URL", "externally visible base URL of the links handed out, e.g. https://provgraph.example.com; empty for http://<addr>")
	str(&c.LogLevel, "log-level", "PROVGRAPH_LOG_LEVEL", "debug, info, warn or error")
	i64(&c.MaxUploadBytes, "max-upload-bytes", "PROVGRAPH_MAX_UPLOAD_BYTES", "largest request body accepted")
	i64(&c.MaxFileBytes, "max-file-bytes", "PROVGRAPH_MAX_FILE_BYTES", "largest uploaded file accepted")
	i64(&c.NotaraiMaxFileBytes, "notarai-max-file-bytes", "PROVGRAPH_NOTARAI_MAX_FILE_BYTES", "largest file accepted by the NotarAI API (/notarai/api/v1)")
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
	integer(&c.KeyRequestsPerMinute, "key-requests-per-minute", "PROVGRAPH_KEY_REQUESTS_PER_MINUTE", "GraphQL operations per API key per minute, counted across instances; 0 for no limit")
	integer(&c.KeyScansPerDay, "key-scans-per-day", "PROVGRAPH_KEY_SCANS_PER_DAY", "assets one API key may scan a day; 0 for no limit")
	integer(&c.KeySignsPerDay, "key-signs-per-day", "PROVGRAPH_KEY_SIGNS_PER_DAY", "assets one API key may sign a day; 0 for no limit")
	integer(&c.KeyVerifiesPerDay, "key-verifies-per-day", "PROVGRAPH_KEY_VERIFIES_PER_DAY", "files one API key may verify a day; 0 for no limit")
	if v, ok := lookup("PROVGRAPH_SHUTDOWN_TIMEOUT"); ok {
		d, err := time.ParseDuration(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("PROVGRAPH_SHUTDOWN_TIMEOUT: %w", err))
		}
		c.ShutdownTimeout = d
	}
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", c.ShutdownTimeout, "grace period for in-flight requests on SIGTERM (env PROVGRAPH_SHUTDOWN_TIMEOUT)")
	duration := func(p *time.Duration, name, env, usage string) {
		if v, ok := lookup(env); ok {
			d, err := time.ParseDuration(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", env, err))
			}
			*p = d
		}
		fs.DurationVar(p, name, *p, usage+" (env "+env+")")
	}
	str(&c.SignerCert, "signer-cert", "PROVGRAPH_SIGNER_CERT", "PEM certificate chain to sign with; empty for the development signer under --data")
	str(&c.SignerKey, "signer-key", "PROVGRAPH_SIGNER_KEY", "PEM private key of --signer-cert")
	str(&c.TrustAnchors, "trust-anchors", "PROVGRAPH_TRUST_ANCHORS", "PEM trust anchors added to the C2PA trust list (e.g. <data>/signer/root.pem)")
	duration(&c.VerificationTTL, "verification-ttl", "PROVGRAPH_VERIFICATION_TTL", "how long a verification result stays readable")
	duration(&c.DownloadTTL, "download-ttl", "PROVGRAPH_DOWNLOAD_TTL", "how long a download URL works")
	duration(&c.RetentionInterval, "retention-interval", "PROVGRAPH_RETENTION_INTERVAL", "time between two retention sweeps")
	integer(&c.Workers, "workers", "PROVGRAPH_WORKERS", "job items and webhook deliveries worked on at once by this instance; 0 queues jobs for other instances only")
	duration(&c.JobTimeout, "job-timeout", "PROVGRAPH_JOB_TIMEOUT", "longest time one job item may run")
	duration(&c.JobRescueAfter, "job-rescue-after", "PROVGRAPH_JOB_RESCUE_AFTER", "time after which a running item of a vanished instance is retried (more than --job-timeout)")
	duration(&c.JobRetention, "job-retention", "PROVGRAPH_JOB_RETENTION", "how long jobs and their items are kept")
	integer(&c.WebhookMaxAttempts, "webhook-max-attempts", "PROVGRAPH_WEBHOOK_MAX_ATTEMPTS", "attempts to deliver one webhook message")
	duration(&c.WebhookBackoff, "webhook-backoff", "PROVGRAPH_WEBHOOK_BACKOFF", "wait before the second delivery attempt, doubling after each")
	str(&c.OutboundAllow, "outbound-allow", "PROVGRAPH_OUTBOUND_ALLOW", "comma-separated hosts and CIDRs that webhooks may reach although private or loopback")
	integer(&c.OP.AnonRequestsPerMinute, "op-anon-requests-per-minute", "PROVGRAPH_OP_ANON_REQUESTS_PER_MINUTE", "OP API requests per client IP without a key per minute; 0 for no limit")
	integer(&c.OP.AnonSignsPerDay, "op-anon-signs-per-day", "PROVGRAPH_OP_ANON_SIGNS_PER_DAY", "OP API files signed per client IP without a key per day; 0 for no limit")
	integer(&c.OP.AnonVerifiesPerDay, "op-anon-verifies-per-day", "PROVGRAPH_OP_ANON_VERIFIES_PER_DAY", "OP API files verified per client IP without a key per day; 0 for no limit")
	integer(&c.OP.KeyRequestsPerMinute, "op-key-requests-per-minute", "PROVGRAPH_OP_KEY_REQUESTS_PER_MINUTE", "OP API requests per API key per minute; 0 for no limit")
	integer(&c.OP.KeySignsPerDay, "op-key-signs-per-day", "PROVGRAPH_OP_KEY_SIGNS_PER_DAY", "OP API files signed per API key per day; 0 for no limit")
	integer(&c.OP.KeyVerifiesPerDay, "op-key-verifies-per-day", "PROVGRAPH_OP_KEY_VERIFIES_PER_DAY", "OP API files verified per API key per day; 0 for no limit")
	duration(&c.OP.DownloadTTL, "op-download-ttl", "PROVGRAPH_OP_DOWNLOAD_TTL", "how long an OP API signed file stays downloadable")
	duration(&c.NumbersFetchTimeout, "numbers-fetch-timeout", "PROVGRAPH_NUMBERS_FETCH_TIMEOUT", "longest fetch of a fileURL by the Numbers API (/numbers/api/v3/nid), body included")
	if v, ok := lookup("PROVGRAPH_ADMIN_KEY"); ok {
		c.AdminKey = v
	}
	if v, ok := lookup("PROVGRAPH_SECRET"); ok {
		c.Secret = v
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
	if c.Workers < 0 {
		errs = append(errs, fmt.Errorf("--workers %d: want 0 (queue only, for other instances to work) or more", c.Workers))
	}
	if c.JobTimeout <= 0 || c.JobRescueAfter <= c.JobTimeout {
		errs = append(errs, fmt.Errorf("--job-rescue-after %s: want more than --job-timeout %s (> 0)", c.JobRescueAfter, c.JobTimeout))
	}
	if c.WebhookMaxAttempts < 1 || c.WebhookBackoff <= 0 {
		errs = append(errs, fmt.Errorf("--webhook-max-attempts %d, --webhook-backoff %s: want at least 1 and more than 0", c.WebhookMaxAttempts, c.WebhookBackoff))
	}
	if _, _, err := outbound.ParseAllow(c.OutboundAllow); err != nil {
		errs = append(errs, fmt.Errorf("--outbound-allow: %w", err))
	}
	if c.PublicURL == "" {
		c.PublicURL = defaultPublicURL(c.Addr)
	} else {
		u, err := url.Parse(c.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("--public-url %q: want an absolute http(s) URL", c.PublicURL))
		}
		c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	}
	if c.MaxUploadBytes <= 0 {
		errs = append(errs, fmt.Errorf("--max-upload-bytes %d: must be positive", c.MaxUploadBytes))
	}
	if c.MaxFileBytes <= 0 {
		errs = append(errs, fmt.Errorf("--max-file-bytes %d: must be positive", c.MaxFileBytes))
	}
	if c.NotaraiMaxFileBytes <= 0 {
		errs = append(errs, fmt.Errorf("--notarai-max-file-bytes %d: must be positive", c.NotaraiMaxFileBytes))
	}
	if c.NumbersFetchTimeout <= 0 {
		errs = append(errs, fmt.Errorf("--numbers-fetch-timeout %s: must be positive", c.NumbersFetchTimeout))
	}
	if c.RetentionInterval <= 0 {
		errs = append(errs, fmt.Errorf("--retention-interval %s: must be positive", c.RetentionInterval))
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
	for _, l := range []struct {
		flag string
		n    int
	}{
		{"--key-requests-per-minute", c.KeyRequestsPerMinute},
		{"--key-scans-per-day", c.KeyScansPerDay},
		{"--key-signs-per-day", c.KeySignsPerDay},
		{"--key-verifies-per-day", c.KeyVerifiesPerDay},
		{"--op-anon-requests-per-minute", c.OP.AnonRequestsPerMinute},
		{"--op-anon-signs-per-day", c.OP.AnonSignsPerDay},
		{"--op-anon-verifies-per-day", c.OP.AnonVerifiesPerDay},
		{"--op-key-requests-per-minute", c.OP.KeyRequestsPerMinute},
		{"--op-key-signs-per-day", c.OP.KeySignsPerDay},
		{"--op-key-verifies-per-day", c.OP.KeyVerifiesPerDay},
	} {
		if l.n < 0 {
			errs = append(errs, fmt.Errorf("%s %d: must not be negative (0 for no limit)", l.flag, l.n))
		}
	}
	if c.ShutdownTimeout < 0 {
		errs = append(errs, fmt.Errorf("--shutdown-timeout %s: must not be negative", c.ShutdownTimeout))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("--log-level %q: want debug, info, warn or error", c.LogLevel))
	}
	if (c.SignerCert == "") != (c.SignerKey == "") {
		errs = append(errs, errors.New("--signer-cert and --signer-key: give both or neither"))
	}
	if c.Secret != "" && len(c.Secret) < 32 {
		errs = append(errs, fmt.Errorf("PROVGRAPH_SECRET: %d bytes, need at least 32", len(c.Secret)))
	}
	if c.VerificationTTL <= 0 {
		errs = append(errs, fmt.Errorf("--verification-ttl %s: must be positive", c.VerificationTTL))
	}
	if c.DownloadTTL <= 0 {
		errs = append(errs, fmt.Errorf("--download-ttl %s: must be positive", c.DownloadTTL))
	}
	if c.OP.DownloadTTL <= 0 {
		errs = append(errs, fmt.Errorf("--op-download-ttl %s: must be positive", c.OP.DownloadTTL))
	}
	if c.StorageURL == "" && c.DataDir != "" {
		c.StorageURL = filepath.Join(c.DataDir, "blobs")
	}
	return errors.Join(errs...)
}

// defaultPublicURL is http://<addr>, with localhost for a wildcard host.
func defaultPublicURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return ""
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
