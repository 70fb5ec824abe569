package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newScanCmd is replaced by the issue that builds the "scan" command.
func newScanCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "scan",
		Hidden: true,
		RunE: func(*cobra.Command, []string) error {
			return errors.New("scan: not built yet")
		},
	}
}
