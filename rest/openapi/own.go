package openapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// CheckOwn reports how an API's document strays from its share of the
// merged document: a path outside pathPrefix (the API's mount prefix
// and "/"), or a component whose name does not start with namePrefix.
// Merge refuses clashes once they happen; a REST package's test calls
// CheckOwn so that its document never causes one.
func CheckOwn(doc []byte, pathPrefix, namePrefix string) error {
	var d struct {
		Paths      map[string]json.RawMessage            `json:"paths"`
		Components map[string]map[string]json.RawMessage `json:"components"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		return fmt.Errorf("openapi: %w", err)
	}
	var errs []error
	for _, p := range slices.Sorted(maps.Keys(d.Paths)) {
		if !strings.HasPrefix(p, pathPrefix) {
			errs = append(errs, fmt.Errorf("openapi: path %s is not under %s", p, pathPrefix))
		}
	}
	for _, kind := range slices.Sorted(maps.Keys(d.Components)) {
		for _, name := range slices.Sorted(maps.Keys(d.Components[kind])) {
			if !strings.HasPrefix(name, namePrefix) {
				errs = append(errs, fmt.Errorf("openapi: component %s/%s is not named %s…", kind, name, namePrefix))
			}
		}
	}
	return errors.Join(errs...)
}
