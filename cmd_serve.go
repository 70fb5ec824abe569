package main

import (
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"provgraph/config"
	"provgraph/server"
)

// newServeCmd runs the GraphQL server.
func newServeCmd() *cobra.Command {
	cfg := config.Default()
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the provenance graph over GraphQL (with GraphiQL at /)",
		Long: `Serve the provenance graph over GraphQL.

Data lives in SQLite under --data unless --database-url (DATABASE_URL) names
a PostgreSQL database. Migrations run on start. On the first start with an
empty database an admin account is created and its API key printed once;
set PROVGRAPH_ADMIN_KEY to choose that key instead.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cfg.Validate(); err != nil {
				return err
			}
			var level slog.Level
			if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
				return err
			}
			log := slog.New(slog.NewJSONHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level}))
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return server.Run(ctx, cfg, log, cmd.OutOrStdout())
		},
	}
	if err := cfg.Bind(cmd.Flags(), os.LookupEnv); err != nil {
		// An unparsable environment variable is reported when the command
		// runs, not when the command tree is built.
		cmd.RunE = func(*cobra.Command, []string) error { return err }
	}
	return cmd
}
