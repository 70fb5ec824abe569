package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newCIDCmd is replaced by the issue that builds the "cid" command.
func newCIDCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "cid",
		Hidden: true,
		RunE: func(*cobra.Command, []string) error {
			return errors.New("cid: not built yet")
		},
	}
}
