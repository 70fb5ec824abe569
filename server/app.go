package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"entgo.io/ent/dialect"

	"provgraph/accounts"
	"provgraph/analytics"
	"provgraph/assets"
	"provgraph/c2pa"
	"provgraph/collections"
	"provgraph/config"
	"provgraph/db"
	"provgraph/ent"
	"provgraph/events"
	"provgraph/jobs"
	"provgraph/outbound"
	"provgraph/queue"
	"provgraph/quota"
	"provgraph/rest/notarai"
	"provgraph/rest/numbers"
	"provgraph/rest/op"
	"provgraph/retention"
	"provgraph/storage"
	"provgraph/webhooks"
	"provgraph/workflows"
)

// App is a provgraph server assembled over its database and blob store.
type App struct {
	// Handler serves every route.
	Handler http.Handler
	// Deps are the services behind Handler.
	Deps Deps
	// AdminKey is the key of the admin account when this start created it
	// (a random key, or PROVGRAPH_ADMIN_KEY); empty otherwise.
	AdminKey string

	queue    *queue.Queue
	broker   *events.Broker
	listener *events.Listener
	log      *slog.Logger
}

// OpenOption adjusts how Open assembles an App.
type OpenOption func(*openOptions)

type openOptions struct {
	wrapDriver func(dialect.Driver) dialect.Driver
}

// WithDriver wraps the ent driver, e.g. to count or log SQL statements.
func WithDriver(wrap func(dialect.Driver) dialect.Driver) OpenOption {
	return func(o *openOptions) { o.wrapDriver = wrap }
}

// Open opens the database, applies pending migrations, opens the blob
// store, builds the services and, on an empty database, creates the admin
// account. cfg must have been validated.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger, opts ...OpenOption) (*App, error) {
	var o openOptions
	for _, opt := range opts {
		opt(&o)
	}
	database, err := db.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	versions, err := database.Migrate(ctx)
	if err != nil {
		_ = database.Close()
		return nil, err
	}
	if len(versions) > 0 {
		log.InfoContext(ctx, "applied migrations", slog.String("dialect", database.Dialect), slog.Any("versions", versions))
	}
	store, err := storage.Open(ctx, cfg.StorageURL)
	if err != nil {
		_ = database.Close()
		return nil, err
	}
	drv := database.Driver()
	if o.wrapDriver != nil {
		drv = o.wrapDriver(drv)
	}
	client := ent.NewClient(ent.Driver(drv))
	fail := func(err error) (*App, error) {
		_ = store.Close()
		_ = database.Close()
		return nil, err
	}
	broker := events.NewBroker()
	var evOpts []events.Option
	if database.Dialect == dialect.Postgres {
		evOpts = append(evOpts, events.WithNotify())
	}
	ev := events.NewService(client, broker, evOpts...)
	quotas := quota.NewService(client, quota.Options{
		KeyRequestsPerMinute: cfg.KeyRequestsPerMinute,
		KeyScansPerDay:       cfg.KeyScansPerDay,
		KeySignsPerDay:       cfg.KeySignsPerDay,
		KeyVerifiesPerDay:    cfg.KeyVerifiesPerDay,
	})
	prov, err := newProvenance(cfg, client, store, ev, quotas)
	if err != nil {
		return fail(err)
	}
	q, err := queue.New(ctx, database, queue.Options{
		Workers:     cfg.Workers,
		JobTimeout:  cfg.JobTimeout,
		RescueAfter: cfg.JobRescueAfter,
		Logger:      log,
	})
	if err != nil {
		return fail(err)
	}
	hosts, prefixes, err := outbound.ParseAllow(cfg.OutboundAllow)
	if err != nil {
		return fail(err)
	}
	cols := collections.NewService(client, ev)
	as := assets.NewService(client, store, ev, cols, assets.Options{
		MaxFileBytes: cfg.MaxFileBytes,
		C2PA:         c2pa.ReadOptions{Trust: prov.trust},
		Logger:       log,
		Quota:        quotas,
	})
	js := jobs.NewService(jobs.Deps{
		Client:        client,
		Store:         store,
		Queue:         q,
		Events:        ev,
		Assets:        as,
		Signing:       prov.signing,
		Verifications: prov.verifications,
	}, jobs.Options{
		Retention:    cfg.JobRetention,
		MaxFileBytes: cfg.MaxFileBytes,
		Quota:        quotas,
		Logger:       log,
	})
	an, err := analytics.NewService(database, client)
	if err != nil {
		q.Kill()
		return fail(err)
	}
	d := Deps{
		Analytics:   an,
		DB:          database,
		Client:      client,
		Accounts:    accounts.NewService(client),
		Assets:      as,
		Collections: cols,
		Events:      ev,
		Storage:     store,
		Logger:      log,

		Signing:       prov.signing,
		Verifications: prov.verifications,
		Downloads:     prov.downloads,

		Quota:     quotas,
		Jobs:      js,
		Workflows: workflows.NewService(client, js),
		Webhooks: webhooks.NewService(client, q, ev, outbound.Policy{AllowHosts: hosts, AllowPrefixes: prefixes}, webhooks.Options{
			MaxAttempts: cfg.WebhookMaxAttempts,
			Backoff:     cfg.WebhookBackoff,
			Logger:      log,
		}),
	}
	key, created, err := d.Accounts.Bootstrap(ctx, cfg.AdminKey)
	if err != nil {
		q.Kill()
		return fail(err)
	}
	app := &App{
		Handler: New(d, Options{
			MaxUploadBytes: cfg.MaxUploadBytes,
			MaxFileBytes:   cfg.MaxFileBytes,
			MaxQueryDepth:  cfg.MaxQueryDepth,
			MaxComplexity:  cfg.MaxComplexity,
			PublicURL:      cfg.PublicURL,
			RateLimit:      cfg.RateLimit,
			RateBurst:      cfg.RateBurst,
			OP: op.Options{
				PublicURL:   cfg.PublicURL,
				Anonymous:   op.Limits{RequestsPerMinute: cfg.OP.AnonRequestsPerMinute, SignsPerDay: cfg.OP.AnonSignsPerDay, VerifiesPerDay: cfg.OP.AnonVerifiesPerDay},
				Key:         op.Limits{RequestsPerMinute: cfg.OP.KeyRequestsPerMinute, SignsPerDay: cfg.OP.KeySignsPerDay, VerifiesPerDay: cfg.OP.KeyVerifiesPerDay},
				DownloadTTL: cfg.OP.DownloadTTL,
			},
			Notarai: notarai.Options{MaxFileBytes: cfg.NotaraiMaxFileBytes},
			Numbers: numbers.Options{Fetch: outbound.Policy{AllowHosts: hosts, AllowPrefixes: prefixes, Timeout: cfg.NumbersFetchTimeout}},
		}),
		Deps:   d,
		queue:  q,
		broker: broker,
		log:    log,
	}
	if created {
		app.AdminKey = key
	}
	return app, nil
}

// Start starts the background work of this instance: its River workers
// (job items, webhook deliveries) and, on PostgreSQL, the listener that
// brings the events of other instances to this one's subscribers.
func (a *App) Start(ctx context.Context) error {
	if a.Deps.DB.Dialect == dialect.Postgres {
		l, err := events.Listen(ctx, a.Deps.DB.URL, a.Deps.Client, a.broker, a.log)
		if err != nil {
			return err
		}
		a.listener = l
	}
	return a.queue.Start(context.WithoutCancel(ctx))
}

// Stop lets the running jobs finish until ctx is done (then cancels them,
// for River to retry) and stops the listener.
func (a *App) Stop(ctx context.Context) error {
	err := a.queue.Stop(ctx)
	if a.listener != nil {
		err = errors.Join(err, a.listener.Close())
		a.listener = nil
	}
	return err
}

// Kill stops the workers at once, leaving their jobs running in the
// database, as a crashed instance does; for tests.
func (a *App) Kill() {
	a.queue.Kill()
	if a.listener != nil {
		_ = a.listener.Close()
		a.listener = nil
	}
}

// Close stops the background work (waiting up to 10 seconds for running
// jobs) and releases the blob store and the database.
func (a *App) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return errors.Join(a.Stop(ctx), a.Deps.Storage.Close(), a.Deps.DB.Close())
}

// Run serves cfg until ctx is done, then shuts down gracefully: it stops
// accepting, lets in-flight requests finish within cfg.ShutdownTimeout and
// closes the database. The admin key of a first start is written to out,
// once, unless it came from PROVGRAPH_ADMIN_KEY.
func Run(ctx context.Context, cfg config.Config, log *slog.Logger, out io.Writer) error {
	app, err := Open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer app.Close()
	if err := app.Start(ctx); err != nil {
		return err
	}
	stopSweeper := startSweeper(ctx, app, cfg, log)
	defer stopSweeper()
	switch {
	case app.AdminKey != "" && cfg.AdminKey == "":
		fmt.Fprintf(out, "Created the admin account. Its API key is shown only this once:\n\n    %s\n\n", app.AdminKey)
	case app.AdminKey != "":
		fmt.Fprintln(out, "Created the admin account with the key from PROVGRAPH_ADMIN_KEY.")
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("server: listening on %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{
		Handler:           app.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	log.InfoContext(ctx, "listening", slog.String("addr", ln.Addr().String()), slog.String("database", app.Deps.DB.Dialect))
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	select {
	case err := <-serveErr:
		return fmt.Errorf("server: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("server: shutdown: %w", err)
	}
	if err := app.Stop(shutdownCtx); err != nil {
		return fmt.Errorf("server: stopping workers: %w", err)
	}
	return nil
}

// startSweeper runs the retention sweeper (originals, signed outputs,
// certificates, expired verifications) in the background until the
// returned stop function is called (or ctx is done); stop waits for it.
func startSweeper(ctx context.Context, app *App, cfg config.Config, log *slog.Logger) (stop func()) {
	sw := retention.NewSweeper(app.Deps.Client, app.Deps.Storage, retention.Options{
		Interval:      cfg.RetentionInterval,
		Logger:        log,
		Verifications: app.Deps.Verifications,
		Jobs:          app.Deps.Jobs,
		Counters:      retention.PurgerFunc(app.Deps.Quota.Sweep),
	})
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		sw.Run(ctx)
	}()
	return func() {
		cancel()
		<-done
	}
}
