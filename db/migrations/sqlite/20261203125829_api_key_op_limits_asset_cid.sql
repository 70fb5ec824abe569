-- +goose Up
-- add column "op_requests_per_minute" to table: "api_keys"
ALTER TABLE `api_keys` ADD COLUMN `op_requests_per_minute` integer NULL;
-- add column "op_signs_per_day" to table: "api_keys"
ALTER TABLE `api_keys` ADD COLUMN `op_signs_per_day` integer NULL;
-- add column "op_verifies_per_day" to table: "api_keys"
ALTER TABLE `api_keys` ADD COLUMN `op_verifies_per_day` integer NULL;
-- create index "asset_account_id_cid" to table: "assets"
CREATE INDEX `asset_account_id_cid` ON `assets` (`account_id`, `cid`);

-- +goose Down
-- reverse: create index "asset_account_id_cid" to table: "assets"
DROP INDEX `asset_account_id_cid`;
-- reverse: add column "op_verifies_per_day" to table: "api_keys"
ALTER TABLE `api_keys` DROP COLUMN `op_verifies_per_day`;
-- reverse: add column "op_signs_per_day" to table: "api_keys"
ALTER TABLE `api_keys` DROP COLUMN `op_signs_per_day`;
-- reverse: add column "op_requests_per_minute" to table: "api_keys"
ALTER TABLE `api_keys` DROP COLUMN `op_requests_per_minute`;
