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
	"provgraph/assets"
	"provgraph/c2pa"
	"provgraph/collections"
	"provgraph/config"
	"provgraph/db"
	"provgraph/ent"
	"provgraph/events"
	"provgraph/retention"
	"provgraph/storage"
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
	ev := events.NewService(client, events.NewBroker())
	prov, err := newProvenance(cfg, client, store, ev)
	if err != nil {
		_ = store.Close()
		_ = database.Close()
		return nil, err
	}
	cols := collections.NewService(client, ev)
	d := Deps{
		DB:       database,
		Client:   client,
		Accounts: accounts.NewService(client),
		Assets: assets.NewService(client, store, ev, cols, assets.Options{
			MaxFileBytes: cfg.MaxFileBytes,
			C2PA:         c2pa.ReadOptions{Trust: prov.trust},
			Logger:       log,
		}),
		Collections: cols,
		Events:      ev,
		Storage:     store,
		Logger:      log,

		Signing:       prov.signing,
		Verifications: prov.verifications,
		Downloads:     prov.downloads,
	}
	key, created, err := d.Accounts.Bootstrap(ctx, cfg.AdminKey)
	if err != nil {
		_ = store.Close()
		_ = database.Close()
		return nil, err
	}
	app := &App{
		Handler: New(d, Options{
			MaxUploadBytes: cfg.MaxUploadBytes,
			MaxQueryDepth:  cfg.MaxQueryDepth,
			MaxComplexity:  cfg.MaxComplexity,
			PublicURL:      cfg.PublicURL,
			RateLimit:      cfg.RateLimit,
			RateBurst:      cfg.RateBurst,
		}),
		Deps: d,
	}
	if created {
		app.AdminKey = key
	}
	return app, nil
}

// Close releases the blob store and the database.
func (a *App) Close() error {
	return errors.Join(a.Deps.Storage.Close(), a.Deps.DB.Close())
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
