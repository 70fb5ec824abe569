-- +goose Up
-- modify "api_keys" table
ALTER TABLE "api_keys" ADD COLUMN "op_requests_per_minute" bigint NULL, ADD COLUMN "op_signs_per_day" bigint NULL, ADD COLUMN "op_verifies_per_day" bigint NULL;
-- create index "asset_account_id_cid" to table: "assets"
CREATE INDEX "asset_account_id_cid" ON "assets" ("account_id", "cid");

-- +goose Down
-- reverse: create index "asset_account_id_cid" to table: "assets"
DROP INDEX "asset_account_id_cid";
-- reverse: modify "api_keys" table
ALTER TABLE "api_keys" DROP COLUMN "op_verifies_per_day", DROP COLUMN "op_signs_per_day", DROP COLUMN "op_requests_per_minute";
