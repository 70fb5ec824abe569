package openapi

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
)

// Info is the info object of the merged document.
type Info struct {
	Title       string `json:"title"`
	Version     string `json:"version"`
	Description string `json:"description,omitempty"`
}

// Merge returns one OpenAPI 3.1 document with the paths, tags and
// components of every document in docs. A path or component defined by
// two documents is an error: the documents must keep apart.
func Merge(info Info, docs ...[]byte) ([]byte, error) {
	paths := map[string]json.RawMessage{}
	components := map[string]map[string]json.RawMessage{}
	var tags []json.RawMessage
	for i, raw := range docs {
		var d struct {
			OpenAPI    string                                `json:"openapi"`
			Paths      map[string]json.RawMessage            `json:"paths"`
			Tags       []json.RawMessage                     `json:"tags"`
			Components map[string]map[string]json.RawMessage `json:"components"`
		}
		if err := json.Unmarshal(raw, &d); err != nil {
			return nil, fmt.Errorf("openapi: document %d: %w", i, err)
		}
		if d.OpenAPI == "" || d.OpenAPI[:3] != "3.1" {
			return nil, fmt.Errorf("openapi: document %d is OpenAPI %q, want 3.1", i, d.OpenAPI)
		}
		for p, item := range d.Paths {
			if _, dup := paths[p]; dup {
				return nil, fmt.Errorf("openapi: path %s is defined twice", p)
			}
			paths[p] = item
		}
		tags = append(tags, d.Tags...)
		for kind, entries := range d.Components {
			if components[kind] == nil {
				components[kind] = map[string]json.RawMessage{}
			}
			for name, v := range entries {
				if _, dup := components[kind][name]; dup {
					return nil, fmt.Errorf("openapi: component %s/%s is defined twice", kind, name)
				}
				components[kind][name] = v
			}
		}
	}
	out := map[string]any{
		"openapi":    "3.1.0",
		"info":       info,
		"paths":      paths,
		"components": components,
	}
	if len(tags) > 0 {
		out["tags"] = tags
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	return b, nil
}

// Paths lists the paths of a document, sorted; for tests and the docs
// page.
func Paths(doc []byte) ([]string, error) {
	var d struct {
		Paths map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	return slices.Sorted(maps.Keys(d.Paths)), nil
}
