// Command provgraph is the content-provenance platform: a GraphQL and REST
// server over a provenance graph, plus command-line tools for C2PA signing
// and verification, AI-metadata scanning and IPFS CIDs.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

// version is the provgraph release, set at link time with
// -ldflags "-X main.version=...".
var version = "0.1.0-dev"

func main() {
	if err := newRootCmd().Execute(); err != nil {
		os.Exit(exitCode(err))
	}
}

// newRootCmd assembles the command tree. Each subcommand lives in its own
// cmd_*.go file beside this one.
func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "provgraph",
		Short:         "Content provenance: C2PA signing and verification, AI-metadata scans, IPFS CIDs",
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(
		newServeCmd(),
		newC2PACmd(),
		newScanCmd(),
		newCIDCmd(),
	)
	return root
}

// exitError carries a process exit code through cobra without printing
// anything more: the command has already written its output.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func exitCode(err error) int {
	if e, ok := err.(exitError); ok {
		return e.code
	}
	fmt.Fprintln(os.Stderr, "provgraph:", err)
	return 1
}
