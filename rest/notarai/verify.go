package notarai

import (
	"context"
	"fmt"
	"net/http"

	"provgraph/db"
	"provgraph/ent"
	"provgraph/ent/asset"
	"provgraph/ent/collection"
	"provgraph/ent/schema/tenant"
)

// verifyRecord serves GET /verify/{id}. Without a key it reads the record
// whatever its account: its UUID, which cannot be guessed, is the
// capability to read it. With a key it reads only the caller's records.
func (a *api) verifyRecord(r *http.Request) (reply, error) {
	id, err := a.decodeID(KindRecord, "id", r.PathValue("id"))
	if err != nil {
		return reply{}, err
	}
	ctx := r.Context()
	if _, authed := tenant.FromContext(ctx); !authed {
		ctx = tenant.WithSystem(ctx)
	}
	x, err := db.ClientFrom(ctx, a.d.Client).Asset.Get(ctx, id)
	if err != nil {
		return reply{}, fmt.Errorf("record %d: %w", id, err)
	}
	rec, err := a.recordOf(ctx, x)
	if err != nil {
		return reply{}, err
	}
	return ok(rec), nil
}

// collectionVerification answers GET /verify/collection/{id}.
type collectionVerification struct {
	CollectionID string   `json:"collectionId"`
	Name         string   `json:"name"`
	Total        int      `json:"total"`
	Signed       int      `json:"signed"`
	Limit        int      `json:"limit"`
	Offset       int      `json:"offset"`
	Records      []record `json:"records"`
}

// verifyCollection serves GET /verify/collection/{id}: the provenance of
// each record of a collection of the caller's, a page at a time.
func (a *api) verifyCollection(r *http.Request) (reply, error) {
	id, err := a.decodeID(KindCollection, "id", r.PathValue("id"))
	if err != nil {
		return reply{}, err
	}
	p, err := pageOf(r)
	if err != nil {
		return reply{}, err
	}
	ctx := r.Context()
	client := db.ClientFrom(ctx, a.d.Client)
	c, err := client.Collection.Get(ctx, id)
	if err != nil {
		return reply{}, fmt.Errorf("collection %d: %w", id, err)
	}
	in := client.Asset.Query().Where(asset.HasCollectionsWith(collection.ID(c.ID)))
	total, err := in.Clone().Count(ctx)
	if err != nil {
		return reply{}, err
	}
	signed, err := in.Clone().Where(asset.StatusEQ(asset.StatusSigned)).Count(ctx)
	if err != nil {
		return reply{}, err
	}
	page, err := in.Order(ent.Asc(asset.FieldID)).Offset(p.offset).Limit(p.limit).All(ctx)
	if err != nil {
		return reply{}, err
	}
	records, err := a.recordsOf(ctx, page)
	if err != nil {
		return reply{}, err
	}
	return ok(collectionVerification{
		CollectionID: a.ids.Encode(KindCollection, c.ID),
		Name:         c.Name,
		Total:        total,
		Signed:       signed,
		Limit:        p.limit,
		Offset:       p.offset,
		Records:      records,
	}), nil
}

// recordsOf is recordOf of each asset.
func (a *api) recordsOf(ctx context.Context, xs []*ent.Asset) ([]record, error) {
	out := make([]record, len(xs))
	for i, x := range xs {
		rec, err := a.recordOf(ctx, x)
		if err != nil {
			return nil, err
		}
		out[i] = rec
	}
	return out, nil
}
