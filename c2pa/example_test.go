package c2pa_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"provgraph/c2pa"
	_ "provgraph/c2pa/asset/all"
)

// Read an asset and print its validation state, as "provgraph c2pa verify"
// does.
func ExampleRead() {
	data, err := os.ReadFile(filepath.Join(sharedDir(), "fixtures/c2pa/jpeg/rs-CA.jpg"))
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := c2pa.Read(context.Background(), bytes.NewReader(data), int64(len(data)), "image/jpeg", c2pa.ReadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.ValidationState, rep.FailureCodes())
	// Output: Valid [signingCredential.untrusted]
}

// sharedDir is the shared folder for examples and benchmarks, which have no
// testing.T for testenv: $PROVGRAPH_SHARED or ../shared beside the repository.
func sharedDir() string {
	if d := os.Getenv("PROVGRAPH_SHARED"); d != "" {
		return d
	}
	return "../../shared"
}
