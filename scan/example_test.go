package scan_test

import (
	"context"
	"fmt"
	"os"

	"provgraph/scan"
)

// Scan a PNG written by a Stable Diffusion web UI. Without a C2PA reader,
// metadata can only hint at AI.
func ExampleScan() {
	f, err := os.Open("testdata/a1111.png")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := scan.Scan(context.Background(), f, st.Size(), scan.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.MediaType, rep.Verdict, *rep.AIModel)
	fmt.Println(rep.AIModelEvidence.Field, "=", rep.AIModelEvidence.Value)
	// Output:
	// image/png hinted-ai stable-diffusion-xl
	// PNG:parameters = sd_xl_base_1.0
}

func ExampleSniff() {
	fmt.Println(scan.Sniff([]byte("\x00\x00\x00\x1cftypheic\x00\x00\x00\x00mif1heic")))
	fmt.Println(scan.Sniff([]byte("RIFF\x24\x00\x00\x00WAVEfmt ")))
	// Output:
	// image/heic
	// audio/wav
}
