package resolvers

import (
	"github.com/99designs/gqlgen/graphql"

	"provgraph/assets"
	"provgraph/graph"
	"provgraph/jobs"
	"provgraph/workflows"
)

// uploads maps GraphQL multipart files onto the services' uploads.
func uploads(files []*graphql.Upload) []assets.Upload {
	out := make([]assets.Upload, len(files))
	for i, f := range files {
		out[i] = assets.Upload{FileName: f.Filename, Content: f.File, Size: f.Size}
	}
	return out
}

// workflowInput maps the GraphQL workflow onto the service's.
func workflowInput(in graph.WorkflowInput) workflows.Input {
	out := workflows.Input{Name: in.Name, CollectionID: in.CollectionID, Steps: make([]jobs.Step, len(in.Steps))}
	for i, st := range in.Steps {
		out.Steps[i] = jobs.Step(st)
	}
	if in.Declaration != nil {
		d := declarationOf(*in.Declaration)
		out.Declaration = &d
	}
	return out
}
