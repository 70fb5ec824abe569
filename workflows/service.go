package workflows

import (
	"context"
	"fmt"
	"slices"

	"provgraph/apierror"
	"provgraph/article50"
	"provgraph/assets"
	"provgraph/db"
	"provgraph/ent"
	"provgraph/ent/schema/tenant"
	"provgraph/jobs"
	"provgraph/signing"
)

// Input is what a workflow does.
type Input struct {
	Name string
	// Steps run in order; StepScan, when present, comes first.
	Steps []jobs.Step
	// Declaration is signed into every asset; required with StepSign.
	Declaration *article50.Declaration
	// CollectionID is where scanned assets go.
	CollectionID *int
}

// scopeOf is the scope a caller needs to run a step.
var scopeOf = map[jobs.Step]tenant.Scope{
	jobs.StepScan:   tenant.ScopeScan,
	jobs.StepSign:   tenant.ScopeSign,
	jobs.StepVerify: tenant.ScopeVerifyRead,
}

// Service creates, reads, deletes and runs workflows.
type Service struct {
	client *ent.Client
	jobs   *jobs.Service
}

// NewService returns a Service that runs workflows through js.
func NewService(client *ent.Client, js *jobs.Service) *Service {
	return &Service{client: client, jobs: js}
}

// Create saves a workflow after checking its steps and declaration.
func (s *Service) Create(ctx context.Context, in Input) (*ent.Workflow, error) {
	if err := validate(in); err != nil {
		return nil, err
	}
	client := db.ClientFrom(ctx, s.client)
	if in.CollectionID != nil {
		if _, err := client.Collection.Get(ctx, *in.CollectionID); err != nil {
			return nil, fmt.Errorf("collection %d: %w", *in.CollectionID, err)
		}
	}
	steps := make([]string, len(in.Steps))
	for i, st := range in.Steps {
		steps[i] = string(st)
	}
	create := client.Workflow.Create().
		SetName(in.Name).
		SetSteps(steps).
		SetNillableCollectionID(in.CollectionID)
	if in.Declaration != nil {
		m, err := declarationMap(*in.Declaration)
		if err != nil {
			return nil, err
		}
		create.SetDeclarationTemplate(m)
	}
	w, err := create.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("workflows: saving: %w", err)
	}
	return w, nil
}

func validate(in Input) error {
	if len(in.Steps) == 0 {
		return &apierror.InvalidFieldError{Field: "steps", Reason: "at least one step is required"}
	}
	for i, st := range in.Steps {
		if _, ok := scopeOf[st]; !ok {
			return &apierror.InvalidFieldError{Field: "steps", Reason: fmt.Sprintf("unknown step %q", st)}
		}
		if slices.Index(in.Steps, st) != i {
			return &apierror.InvalidFieldError{Field: "steps", Reason: fmt.Sprintf("%s appears twice", st)}
		}
		if st == jobs.StepScan && i != 0 {
			return &apierror.InvalidFieldError{Field: "steps", Reason: "SCAN can only be the first step"}
		}
	}
	if slices.Contains(in.Steps, jobs.StepSign) {
		if in.Declaration == nil {
			return &apierror.InvalidFieldError{Field: "declaration", Reason: "required by the SIGN step"}
		}
		if err := signing.ValidateDeclaration(*in.Declaration); err != nil {
			return err
		}
	}
	return nil
}

// Get returns a workflow of the caller's account.
func (s *Service) Get(ctx context.Context, id int) (*ent.Workflow, error) {
	w, err := db.ClientFrom(ctx, s.client).Workflow.Get(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("workflow %d: %w", id, err)
	}
	return w, nil
}

// Delete removes a workflow; its jobs stay.
func (s *Service) Delete(ctx context.Context, id int) error {
	if err := db.ClientFrom(ctx, s.client).Workflow.DeleteOneID(id).Exec(ctx); err != nil {
		return fmt.Errorf("workflow %d: %w", id, err)
	}
	return nil
}

// Run queues a job that runs the workflow over files.
func (s *Service) Run(ctx context.Context, id int, files []assets.Upload) (*ent.Job, error) {
	w, run, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if files == nil {
		files = []assets.Upload{}
	}
	return s.jobs.CreateWorkflowRun(ctx, w.ID, run, files, w.CollectionID)
}

// RunOnCollection queues a job that runs the workflow over the assets of a
// collection (skipping its SCAN step).
func (s *Service) RunOnCollection(ctx context.Context, id, collectionID int) (*ent.Job, error) {
	w, run, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.jobs.CreateWorkflowRun(ctx, w.ID, run, nil, &collectionID)
}

// load reads a workflow as a run, checking that the caller may do each of
// its steps.
func (s *Service) load(ctx context.Context, id int) (*ent.Workflow, jobs.Run, error) {
	w, err := s.Get(ctx, id)
	if err != nil {
		return nil, jobs.Run{}, err
	}
	if !w.Enabled {
		return nil, jobs.Run{}, fmt.Errorf("%w: workflow %d is disabled", apierror.ErrNotPending, id)
	}
	v, _ := tenant.FromContext(ctx)
	run := jobs.Run{Steps: make([]jobs.Step, len(w.Steps))}
	for i, st := range w.Steps {
		run.Steps[i] = jobs.Step(st)
		if scope, ok := scopeOf[run.Steps[i]]; ok && !v.Has(scope) {
			return nil, jobs.Run{}, fmt.Errorf("%w: the %s step needs the %s scope", apierror.ErrForbidden, st, scope)
		}
	}
	if w.DeclarationTemplate != nil {
		var d article50.Declaration
		if err := jobs.DecodeParams(w.DeclarationTemplate, &d); err != nil {
			return nil, jobs.Run{}, fmt.Errorf("workflows: workflow %d declaration: %w", id, err)
		}
		run.Declaration = &d
	}
	return w, run, nil
}

func declarationMap(d article50.Declaration) (map[string]any, error) {
	var m map[string]any
	if err := jobs.DecodeParams(d, &m); err != nil {
		return nil, fmt.Errorf("workflows: encoding declaration: %w", err)
	}
	return m, nil
}
