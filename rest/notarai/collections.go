package notarai

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"provgraph/assets"
	"provgraph/db"
	"provgraph/ent"
	"provgraph/ent/asset"
	"provgraph/ent/collection"
	"provgraph/ent/schema/tenant"
)

// collectionView is a collection as the API shows it.
type collectionView struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Description *string   `json:"description"`
	AssetCount  int       `json:"assetCount"`
	CreatedAt   time.Time `json:"createdAt"`
	UpdatedAt   time.Time `json:"updatedAt"`
}

// assetView is a record as collections list it.
type assetView struct {
	ID          string     `json:"id"`
	FileName    string     `json:"fileName"`
	FileSize    int64      `json:"fileSize"`
	MimeType    string     `json:"mimeType"`
	Status      string     `json:"status"`
	CreatedAt   time.Time  `json:"createdAt"`
	CompletedAt *time.Time `json:"completedAt"`
}

// collectionReply wraps one collection, with its records when read.
type collectionReply struct {
	Collection collectionView `json:"collection"`
	Assets     *[]assetView   `json:"assets,omitempty"`
}

// collectionList answers GET /collections.
type collectionList struct {
	Collections []collectionView `json:"collections"`
	Total       int              `json:"total"`
	Limit       int              `json:"limit"`
	Offset      int              `json:"offset"`
}

// collectionOf is c as the API shows it, with its record count.
func (a *api) collectionOf(r *http.Request, c *ent.Collection) (collectionView, error) {
	counts, err := a.d.Collections.AssetCounts(r.Context(), []int{c.ID})
	if err != nil {
		return collectionView{}, err
	}
	return a.collectionViewOf(c, counts[c.ID]), nil
}

// collectionViewOf is c as the API shows it, holding n records.
func (a *api) collectionViewOf(c *ent.Collection, n int) collectionView {
	v := collectionView{
		ID:         a.ids.Encode(KindCollection, c.ID),
		Name:       c.Name,
		AssetCount: n,
		CreatedAt:  c.CreatedAt.UTC(),
		UpdatedAt:  c.UpdatedAt.UTC(),
	}
	if c.Description != "" {
		v.Description = &c.Description
	}
	return v
}

// createCollection serves POST /collections: {name, description}.
func (a *api) createCollection(r *http.Request) (reply, error) {
	var req struct {
		Name        *string `json:"name"`
		Description *string `json:"description"`
	}
	if err := decodeJSON(r, &req); err != nil {
		return reply{}, err
	}
	if req.Name == nil || strings.TrimSpace(*req.Name) == "" {
		return reply{}, invalidField("name", "is required")
	}
	c, err := a.d.Collections.Create(r.Context(), ent.CreateCollectionInput{Name: *req.Name, Description: req.Description})
	if err != nil {
		return reply{}, err
	}
	v, err := a.collectionOf(r, c)
	if err != nil {
		return reply{}, err
	}
	return reply{http.StatusCreated, collectionReply{Collection: v}}, nil
}

// listCollections serves GET /collections, newest first.
func (a *api) listCollections(r *http.Request) (reply, error) {
	p, err := pageOf(r)
	if err != nil {
		return reply{}, err
	}
	ctx := r.Context()
	q := db.ClientFrom(ctx, a.d.Client).Collection.Query()
	total, err := q.Clone().Count(ctx)
	if err != nil {
		return reply{}, err
	}
	cs, err := q.Order(ent.Desc(collection.FieldCreatedAt), ent.Desc(collection.FieldID)).Offset(p.offset).Limit(p.limit).All(ctx)
	if err != nil {
		return reply{}, err
	}
	ids := make([]int, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	counts, err := a.d.Collections.AssetCounts(ctx, ids)
	if err != nil {
		return reply{}, err
	}
	out := collectionList{Collections: make([]collectionView, len(cs)), Total: total, Limit: p.limit, Offset: p.offset}
	for i, c := range cs {
		out.Collections[i] = a.collectionViewOf(c, counts[c.ID])
	}
	return ok(out), nil
}

// collection reads the collection named by the path's {id}.
func (a *api) collection(r *http.Request) (*ent.Collection, error) {
	id, err := a.decodeID(KindCollection, "id", r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	c, err := db.ClientFrom(r.Context(), a.d.Client).Collection.Get(r.Context(), id)
	if err != nil {
		return nil, fmt.Errorf("collection %d: %w", id, err)
	}
	return c, nil
}

// getCollection serves GET /collections/{id}: the collection and a page
// of its records (?limit=, ?offset=).
func (a *api) getCollection(r *http.Request) (reply, error) {
	c, err := a.collection(r)
	if err != nil {
		return reply{}, err
	}
	p, err := pageOf(r)
	if err != nil {
		return reply{}, err
	}
	v, err := a.collectionOf(r, c)
	if err != nil {
		return reply{}, err
	}
	xs, err := c.QueryAssets().Order(ent.Asc(asset.FieldID)).Offset(p.offset).Limit(p.limit).All(r.Context())
	if err != nil {
		return reply{}, err
	}
	list := make([]assetView, len(xs))
	for i, x := range xs {
		list[i] = assetView{
			ID:          a.ids.Encode(KindRecord, x.ID),
			FileName:    x.FileName,
			FileSize:    x.Size,
			MimeType:    x.MediaType,
			Status:      recordStatus(x.Status),
			CreatedAt:   x.CreatedAt.UTC(),
			CompletedAt: utc(x.SignedAt),
		}
	}
	return ok(collectionReply{Collection: v, Assets: &list}), nil
}

// addCollectionAssets serves POST /collections/{id}/assets: files to
// upload and scan into the collection (multipart, scope scan), or
// {recordIds} of stored records to assign to it (JSON, scope jobs.read).
func (a *api) addCollectionAssets(r *http.Request) (reply, error) {
	scope := tenant.ScopeJobsRead
	if isMultipart(r) {
		scope = tenant.ScopeScan
	}
	if err := need(r.Context(), scope); err != nil {
		return reply{}, err
	}
	c, err := a.collection(r)
	if err != nil {
		return reply{}, err
	}
	if scope == tenant.ScopeScan {
		f, err := parseForm(r)
		defer f.close()
		if err != nil {
			return reply{}, err
		}
		return a.scanFiles(r, f, assets.ScanRequest{CollectionID: &c.ID})
	}
	var req struct {
		RecordIDs []string `json:"recordIds"`
	}
	if err := decodeJSON(r, &req); err != nil {
		return reply{}, err
	}
	if len(req.RecordIDs) == 0 {
		return reply{}, invalidField("recordIds", "give at least one record ID")
	}
	ids := make([]int, len(req.RecordIDs))
	for i, t := range req.RecordIDs {
		if ids[i], err = a.decodeID(KindRecord, "recordIds", t); err != nil {
			return reply{}, err
		}
	}
	if c, err = a.d.Collections.AddAssets(r.Context(), c.ID, ids); err != nil {
		return reply{}, err
	}
	v, err := a.collectionOf(r, c)
	if err != nil {
		return reply{}, err
	}
	return ok(collectionReply{Collection: v}), nil
}

// scanIntoCollection serves POST /collections/{id}/scans: a scan job over
// the uploaded files, adding them to the collection.
func (a *api) scanIntoCollection(r *http.Request) (reply, error) {
	c, err := a.collection(r)
	if err != nil {
		return reply{}, err
	}
	f, err := parseForm(r)
	defer f.close()
	if err != nil {
		return reply{}, err
	}
	return a.scanJob(r, f, &c.ID)
}

// signCollection serves POST /collections/{id}/sign: a sign job over the
// collection's records, with {declaration}.
func (a *api) signCollection(r *http.Request) (reply, error) {
	c, err := a.collection(r)
	if err != nil {
		return reply{}, err
	}
	var req signJobRequest
	if err := decodeJSON(r, &req); err != nil {
		return reply{}, err
	}
	return a.signJob(r, nil, &c.ID, req.Declaration)
}
