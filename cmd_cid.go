package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"provgraph/cid"
)

// newCIDCmd builds "provgraph cid": the CID `ipfs add` would give each file.
func newCIDCmd() *cobra.Command {
	var (
		version int
		profile string
	)
	cmd := &cobra.Command{
		Use:   "cid FILE...",
		Short: "Print the IPFS CID of files, as Kubo's `ipfs add` computes it",
		Long: `Print the IPFS CID of each FILE ("-" reads standard input), computed
as Kubo's ipfs add does without adding anything: fixed-size chunks, a
balanced UnixFS DAG and sha2-256, in one streaming pass.

Profiles:
  kubo            256 KiB chunks, 174 links per node; raw leaves with CIDv1
                  (ipfs add --cid-version=1), dag-pb leaves with CIDv0
                  (ipfs add, IPIP-499 unixfs-v0-2015)
  unixfs-v1-2025  IPIP-499: 1 MiB chunks, 1024 links per node, raw leaves,
                  CIDv1 only

With one FILE the CID is printed alone; with several, "CID  FILE" lines.
Exit status: 0 on success, 1 if a file could not be read, 2 on bad usage.`,
		Example: `  provgraph cid photo.jpg
  provgraph cid --cid-version 0 a.bin b.bin
  curl -s https://example.com/x | provgraph cid --profile unixfs-v1-2025 -`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, err := cidOptions(version, profile)
			if err != nil {
				return cidUsageError(cmd, err)
			}
			if len(args) == 0 {
				return cidUsageError(cmd, errors.New("no FILE given (use - for standard input)"))
			}
			return runCID(cmd, args, opts)
		},
	}
	cmd.Flags().IntVar(&version, "cid-version", 1, "CID version: 0 (Qm…, base58btc) or 1 (b…, base32)")
	cmd.Flags().StringVar(&profile, "profile", string(cid.Kubo), "import profile: "+profileNames())
	cmd.SetFlagErrorFunc(cidUsageError)
	return cmd
}

// cidOptions validates the flags and rewords option errors in flag terms.
func cidOptions(version int, profile string) (cid.Options, error) {
	p, err := cid.ParseProfile(profile)
	if err != nil {
		return cid.Options{}, fmt.Errorf("invalid --profile %q (want %s)", profile, profileNames())
	}
	opts := cid.Options{Profile: p, Version: version}
	switch err := opts.Validate(); {
	case errors.Is(err, cid.ErrProfileVersion):
		return cid.Options{}, fmt.Errorf("--cid-version %d is not allowed with --profile %s (it fixes CIDv1)", version, p)
	case err != nil:
		return cid.Options{}, fmt.Errorf("invalid --cid-version %d (want 0 or 1)", version)
	}
	return opts, nil
}

func profileNames() string {
	names := make([]string, len(cid.Profiles))
	for i, p := range cid.Profiles {
		names[i] = string(p)
	}
	return strings.Join(names, " or ")
}

// cidUsageError reports bad flags or arguments and exits with status 2.
func cidUsageError(cmd *cobra.Command, err error) error {
	fmt.Fprintf(cmd.ErrOrStderr(), "provgraph cid: %v\nRun 'provgraph cid --help' for usage.\n", err)
	return exitError{code: 2}
}

// runCID prints the CID of each file. A file that cannot be read is
// reported and skipped; the others are still printed and the status is 1.
func runCID(cmd *cobra.Command, files []string, opts cid.Options) error {
	out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
	failed := false
	for _, name := range files {
		c, err := cidOfFile(cmd.InOrStdin(), name, opts)
		if err != nil {
			fmt.Fprintf(errOut, "provgraph cid: %v\n", err)
			failed = true
			continue
		}
		if len(files) == 1 {
			fmt.Fprintln(out, c)
		} else {
			fmt.Fprintf(out, "%s  %s\n", c, name)
		}
	}
	if failed {
		return exitError{code: 1}
	}
	return nil
}

func cidOfFile(stdin io.Reader, name string, opts cid.Options) (string, error) {
	r := stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return "", err
		}
		defer f.Close()
		r = f
	}
	c, _, err := cid.Sum(r, opts)
	if err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return c.String(), nil
}
