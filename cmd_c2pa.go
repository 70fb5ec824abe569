package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newC2PACmd is replaced by the issue that builds the "c2pa" command.
func newC2PACmd() *cobra.Command {
	return &cobra.Command{
		Use:    "c2pa",
		Hidden: true,
		RunE: func(*cobra.Command, []string) error {
			return errors.New("c2pa: not built yet")
		},
	}
}
