package collections

import (
	"context"
	"database/sql/driver"
	"fmt"

	"entgo.io/ent/dialect/sql"

	"provgraph/db"
	"provgraph/ent"
	"provgraph/ent/asset"
	"provgraph/ent/collection"
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

// AssetCounts returns how many of the caller's assets each of the given
// collections holds, in one grouped query over the collection_assets join
// (a list page asks for all of its collections at once). Collections
// without assets, and ids the caller cannot see, are absent from the map.
func (s *Service) AssetCounts(ctx context.Context, ids []int) (map[int]int, error) {
	out := make(map[int]int, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	values := make([]driver.Value, len(ids))
	for i, id := range ids {
		values[i] = id
	}
	var rows []struct {
		CollectionID int `sql:"collection_id"`
		Count        int `sql:"count"`
	}
	// An asset query, so that the account's interceptor still applies.
	err := db.ClientFrom(ctx, s.client).Asset.Query().
		Where(func(sel *sql.Selector) {
			join := sql.Table(collection.AssetsTable)
			sel.Join(join).On(sel.C(asset.FieldID), join.C(collection.AssetsPrimaryKey[1]))
			col := join.C(collection.AssetsPrimaryKey[0]) // quoted for the dialect once joined
			sel.Where(sql.InValues(col, values...))
			sel.Select(sql.As(col, "collection_id"), sql.As(sql.Count("*"), "count"))
			sel.GroupBy(col)
		}).
		Select().
		Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("collections: counting assets: %w", err)
	}
	for _, r := range rows {
		out[r.CollectionID] = r.Count
	}
	return out, nil
}
