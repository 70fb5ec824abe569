package openapi

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// page is what the docs page shows of a document.
type page struct {
	Title, Version, Description string
	APIs                        []apiSection
}

// apiSection is one API: the operations whose paths share its first
// segment ("/numbers/…"), and the folder common to those paths.
type apiSection struct {
	Name       string
	Prefix     string
	Operations []operation
}

// operation is one method of one path.
type operation struct {
	Method, Path, Summary, Description string
	Anchor                             string
	Parameters                         []parameter
	Bodies                             []string // request media types
	Responses                          []response
}

type parameter struct {
	Name, In, Type, Description string
	Required                    bool
}

type response struct {
	Code, Description string
}

// methods are the operation keys of a path item, in the order the page
// lists them.
var methods = []string{"get", "put", "post", "patch", "delete", "head", "options", "trace"}

// The parts of a document the page reads.
type (
	docJSON struct {
		Info struct {
			Title       string `json:"title"`
			Version     string `json:"version"`
			Description string `json:"description"`
		} `json:"info"`
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Parameters map[string]paramJSON    `json:"parameters"`
			Responses  map[string]responseJSON `json:"responses"`
		} `json:"components"`
	}
	opJSON struct {
		Summary     string      `json:"summary"`
		Description string      `json:"description"`
		Parameters  []paramJSON `json:"parameters"`
		RequestBody *struct {
			Content map[string]json.RawMessage `json:"content"`
		} `json:"requestBody"`
		Responses map[string]responseJSON `json:"responses"`
	}
	paramJSON struct {
		Ref         string `json:"$ref"`
		Name        string `json:"name"`
		In          string `json:"in"`
		Description string `json:"description"`
		Required    bool   `json:"required"`
		Schema      struct {
			Type json.RawMessage `json:"type"`
			Ref  string          `json:"$ref"`
		} `json:"schema"`
	}
	responseJSON struct {
		Ref         string `json:"$ref"`
		Description string `json:"description"`
	}
)

// pageOf reads the page of doc.
func pageOf(doc []byte) (page, error) {
	var d docJSON
	if err := json.Unmarshal(doc, &d); err != nil {
		return page{}, fmt.Errorf("openapi: reading the document for its page: %w", err)
	}
	p := page{Title: d.Info.Title, Version: d.Info.Version, Description: d.Info.Description}
	sections := map[string]*apiSection{}
	for _, path := range slices.Sorted(maps.Keys(d.Paths)) {
		item := d.Paths[path]
		var shared []paramJSON
		if raw, ok := item["parameters"]; ok {
			if err := json.Unmarshal(raw, &shared); err != nil {
				return page{}, fmt.Errorf("openapi: %s parameters: %w", path, err)
			}
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
		s := sections[name]
		if s == nil {
			s = &apiSection{Name: name, Prefix: path[:strings.LastIndex(path, "/")+1]}
			sections[name] = s
		}
		s.Prefix = commonPrefix(s.Prefix, path)
		for _, m := range methods {
			raw, ok := item[m]
			if !ok {
				continue
			}
			var o opJSON
			if err := json.Unmarshal(raw, &o); err != nil {
				return page{}, fmt.Errorf("openapi: %s %s: %w", m, path, err)
			}
			s.Operations = append(s.Operations, d.operation(m, path, o, shared))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(sections)) {
		p.APIs = append(p.APIs, *sections[name])
	}
	return p, nil
}

// operation is the page's view of o, method m of path.
func (d *docJSON) operation(m, path string, o opJSON, shared []paramJSON) operation {
	op := operation{
		Method:      strings.ToUpper(m),
		Path:        path,
		Summary:     o.Summary,
		Description: o.Description,
		Anchor:      m + strings.NewReplacer("/", "-", "{", "", "}", "").Replace(path),
	}
	for _, pj := range append(slices.Clone(shared), o.Parameters...) {
		if pj.Ref != "" {
			pj = d.Components.Parameters[refName(pj.Ref)]
		}
		op.Parameters = append(op.Parameters, parameter{
			Name: pj.Name, In: pj.In, Description: pj.Description, Required: pj.Required, Type: schemaType(pj),
		})
	}
	if o.RequestBody != nil {
		op.Bodies = slices.Sorted(maps.Keys(o.RequestBody.Content))
	}
	for _, code := range slices.Sorted(maps.Keys(o.Responses)) {
		r := o.Responses[code]
		if r.Ref != "" {
			r = d.Components.Responses[refName(r.Ref)]
		}
		op.Responses = append(op.Responses, response{Code: code, Description: r.Description})
	}
	return op
}

// schemaType names the type of a parameter's schema: its type (or types)
// or the component it refers to.
func schemaType(p paramJSON) string {
	if p.Schema.Ref != "" {
		return refName(p.Schema.Ref)
	}
	var one string
	if json.Unmarshal(p.Schema.Type, &one) == nil {
		return one
	}
	var many []string
	if json.Unmarshal(p.Schema.Type, &many) == nil {
		return strings.Join(many, " | ")
	}
	return ""
}

// refName is the last segment of a local reference, "#/components/x/Name".
func refName(ref string) string {
	return ref[strings.LastIndex(ref, "/")+1:]
}

// commonPrefix is the longest common prefix of a and b that ends with a
// "/".
func commonPrefix(a, b string) string {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return a[:strings.LastIndex(a[:n], "/")+1]
}
