package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"provgraph/c2pa"
	_ "provgraph/c2pa/asset/all" // every container format the engine reads
	"provgraph/scan"
)

// newScanCmd builds "provgraph scan FILE...": one JSON report per file, one
// per line (NDJSON), in argument order.
func newScanCmd() *cobra.Command {
	var (
		maxBytes  int64
		trustPath string
	)
	cmd := &cobra.Command{
		Use:   "scan FILE...",
		Short: "Report AI-generation metadata (C2PA, XMP, EXIF, generator text) of media files as NDJSON",
		Long: `Scan reads the metadata of each FILE, never its pixels or samples, and prints
one JSON object per line: hasC2PA, hasXMP, aiModel, rawFields, c2paManifest,
verdict (declared-ai | hinted-ai | no-ai-marking), reason and evidence.

Only a C2PA manifest that validates counts as a machine-readable AI marking:
manifests are validated with provgraph's C2PA engine, and with --trust the
signers are also checked against those anchors.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var ro c2pa.ReadOptions
			if trustPath != "" {
				pem, err := os.ReadFile(trustPath)
				if err != nil {
					return err
				}
				ro.TrustAnchors = pem
			}
			opts := scan.Options{
				MaxMetadataBytes: maxBytes,
				C2PA:             c2pa.ReportReader(ro),
			}
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetEscapeHTML(false)
			failed := 0
			for _, path := range args {
				rep, err := scanFile(cmd, path, opts)
				if err != nil {
					fmt.Fprintf(cmd.ErrOrStderr(), "provgraph scan: %s: %v\n", path, err)
					failed++
					continue
				}
				out := struct {
					File string `json:"file"`
					*scan.Report
				}{path, rep}
				if err := enc.Encode(out); err != nil {
					return err
				}
			}
			if failed > 0 {
				return exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&trustPath, "trust", "", "PEM bundle of trust anchors for C2PA signers")
	cmd.Flags().Int64Var(&maxBytes, "max-metadata-bytes", scan.DefaultMaxMetadataBytes, "stop reading a file's metadata after this many bytes")
	return cmd
}

func scanFile(cmd *cobra.Command, path string, opts scan.Options) (*scan.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file")
	}
	return scan.Scan(cmd.Context(), f, st.Size(), opts)
}
