-- +goose Up
-- modify "assets" table
ALTER TABLE "assets" ADD COLUMN "signed_at" timestamptz NULL, ADD COLUMN "original_purged_at" timestamptz NULL, ADD COLUMN "signed_purged_at" timestamptz NULL;
-- create index "asset_status_signed_at" to table: "assets"
CREATE INDEX "asset_status_signed_at" ON "assets" ("status", "signed_at");
-- modify "scans" table
ALTER TABLE "scans" ALTER COLUMN "verdict" SET DEFAULT 'NO_AI_MARKING', ADD COLUMN "reason" text NULL, ADD COLUMN "warnings" jsonb NULL;

-- +goose Down
-- reverse: modify "scans" table
ALTER TABLE "scans" DROP COLUMN "warnings", DROP COLUMN "reason", ALTER COLUMN "verdict" SET DEFAULT 'UNKNOWN';
-- reverse: create index "asset_status_signed_at" to table: "assets"
DROP INDEX "asset_status_signed_at";
-- reverse: modify "assets" table
ALTER TABLE "assets" DROP COLUMN "signed_purged_at", DROP COLUMN "original_purged_at", DROP COLUMN "signed_at";
