package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newServeCmd is replaced by the issue that builds the "serve" command.
func newServeCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "serve",
		Hidden: true,
		RunE: func(*cobra.Command, []string) error {
			return errors.New("serve: not built yet")
		},
	}
}
