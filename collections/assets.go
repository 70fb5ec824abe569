package collections

import (
	"context"
	"fmt"
	"slices"

	"provgraph/apierror"
	"provgraph/db"
	"provgraph/ent"
	"provgraph/ent/asset"
)

// EventAssetsAdded is recorded when assets are added to a collection.
const EventAssetsAdded = "collection.assets_added"

// AddAssets adds assets of the caller's account to one of its collections
// and records EventAssetsAdded with the ones newly added. Assets already in
// the collection stay as they are. If the collection or any asset is not
// in the caller's account, the error is NOT_FOUND and nothing is linked.
func (s *Service) AddAssets(ctx context.Context, collectionID int, assetIDs []int) (*ent.Collection, error) {
	ids := slices.Clone(assetIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	var c *ent.Collection
	err := db.WithTx(ctx, s.client, func(ctx context.Context) error {
		client := db.ClientFrom(ctx, s.client)
		var err error
		if c, err = client.Collection.Get(ctx, collectionID); err != nil {
			return fmt.Errorf("collections: collection %d: %w", collectionID, err)
		}
		found, err := client.Asset.Query().Where(asset.IDIn(ids...)).IDs(ctx)
		if err != nil {
			return fmt.Errorf("collections: looking up assets: %w", err)
		}
		if len(found) != len(ids) {
			for _, id := range ids {
				if !slices.Contains(found, id) {
					return fmt.Errorf("%w: asset %d", apierror.ErrNotFound, id)
				}
			}
		}
		linked, err := c.QueryAssets().Where(asset.IDIn(ids...)).IDs(ctx)
		if err != nil {
			return fmt.Errorf("collections: reading collection %d: %w", collectionID, err)
		}
		added := slices.DeleteFunc(ids, func(id int) bool { return slices.Contains(linked, id) })
		if len(added) == 0 {
			return nil
		}
		if c, err = client.Collection.UpdateOneID(collectionID).AddAssetIDs(added...).Save(ctx); err != nil {
			return fmt.Errorf("collections: adding assets to %d: %w", collectionID, err)
		}
		_, err = s.events.Record(ctx, EventAssetsAdded, c.ID, map[string]any{"assetIds": added})
		return err
	})
	return c, err
}
