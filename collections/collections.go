package collections

import (
	"context"

	"provgraph/db"
	"provgraph/ent"
	"provgraph/events"
)

// Event kinds recorded by the Service.
const (
	EventCreated = "collection.created"
	EventUpdated = "collection.updated"
)

// Service creates and changes collections in the caller's account.
type Service struct {
	client *ent.Client
	events *events.Service
}

// NewService returns a Service over client that records to events.
func NewService(client *ent.Client, events *events.Service) *Service {
	return &Service{client: client, events: events}
}

// Create creates a collection and records EventCreated with it.
func (s *Service) Create(ctx context.Context, input ent.CreateCollectionInput) (*ent.Collection, error) {
	var c *ent.Collection
	err := db.WithTx(ctx, s.client, func(ctx context.Context) error {
		var err error
		c, err = db.ClientFrom(ctx, s.client).Collection.Create().SetInput(input).Save(ctx)
		if err != nil {
			return err
		}
		_, err = s.events.Record(ctx, EventCreated, c.ID, map[string]any{"name": c.Name})
		return err
	})
	return c, err
}

// Update changes a collection of the caller's account; another account's
// collection is not found.
func (s *Service) Update(ctx context.Context, id int, input ent.UpdateCollectionInput) (*ent.Collection, error) {
	var c *ent.Collection
	err := db.WithTx(ctx, s.client, func(ctx context.Context) error {
		var err error
		c, err = db.ClientFrom(ctx, s.client).Collection.UpdateOneID(id).SetInput(input).Save(ctx)
		if err != nil {
			return err
		}
		_, err = s.events.Record(ctx, EventUpdated, c.ID, map[string]any{"name": c.Name})
		return err
	})
	return c, err
}
