-- +goose Up
-- disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- create "new_assets" table
CREATE TABLE `new_assets` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `file_name` text NOT NULL, `media_type` text NOT NULL, `size` integer NOT NULL, `sha256` text NOT NULL, `cid` text NULL, `original_blob_key` text NOT NULL, `signed_blob_key` text NULL, `status` text NOT NULL DEFAULT ('PENDING'), `expires_at` datetime NULL, `signed_at` datetime NULL, `original_purged_at` datetime NULL, `signed_purged_at` datetime NULL, `account_id` integer NOT NULL, CONSTRAINT `assets_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION);
-- set sequence for "new_assets" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_assets", 8589934592);
-- copy rows from old table "assets" to new temporary table "new_assets"
INSERT INTO `new_assets` (`id`, `created_at`, `updated_at`, `file_name`, `media_type`, `size`, `sha256`, `cid`, `original_blob_key`, `signed_blob_key`, `status`, `expires_at`, `account_id`) SELECT `id`, `created_at`, `updated_at`, `file_name`, `media_type`, `size`, `sha256`, `cid`, `original_blob_key`, `signed_blob_key`, `status`, `expires_at`, `account_id` FROM `assets`;
-- drop "assets" table after copying rows
DROP TABLE `assets`;
-- rename temporary table "new_assets" to "assets"
ALTER TABLE `new_assets` RENAME TO `assets`;
-- create index "asset_account_id_created_at" to table: "assets"
CREATE INDEX `asset_account_id_created_at` ON `assets` (`account_id`, `created_at`);
-- create index "asset_account_id_sha256" to table: "assets"
CREATE INDEX `asset_account_id_sha256` ON `assets` (`account_id`, `sha256`);
-- create index "asset_account_id_status" to table: "assets"
CREATE INDEX `asset_account_id_status` ON `assets` (`account_id`, `status`);
-- create index "asset_expires_at" to table: "assets"
CREATE INDEX `asset_expires_at` ON `assets` (`expires_at`);
-- create index "asset_status_signed_at" to table: "assets"
CREATE INDEX `asset_status_signed_at` ON `assets` (`status`, `signed_at`);
-- create "new_scans" table
CREATE TABLE `new_scans` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `has_c2pa` bool NOT NULL DEFAULT (false), `has_xmp` bool NOT NULL DEFAULT (false), `ai_model` text NULL, `verdict` text NOT NULL DEFAULT ('NO_AI_MARKING'), `reason` text NULL, `warnings` json NULL, `raw_fields` json NULL, `report` json NULL, `asset_id` integer NOT NULL, `account_id` integer NOT NULL, CONSTRAINT `scans_assets_scans` FOREIGN KEY (`asset_id`) REFERENCES `assets` (`id`) ON DELETE NO ACTION, CONSTRAINT `scans_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION);
-- set sequence for "new_scans" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_scans", 38654705664);
-- copy rows from old table "scans" to new temporary table "new_scans"
INSERT INTO `new_scans` (`id`, `created_at`, `updated_at`, `has_c2pa`, `has_xmp`, `ai_model`, `verdict`, `raw_fields`, `report`, `asset_id`, `account_id`) SELECT `id`, `created_at`, `updated_at`, `has_c2pa`, `has_xmp`, `ai_model`, IFNULL(`verdict`, ('NO_AI_MARKING')) AS `verdict`, `raw_fields`, `report`, `asset_id`, `account_id` FROM `scans`;
-- drop "scans" table after copying rows
DROP TABLE `scans`;
-- rename temporary table "new_scans" to "scans"
ALTER TABLE `new_scans` RENAME TO `scans`;
-- create index "scan_account_id_created_at" to table: "scans"
CREATE INDEX `scan_account_id_created_at` ON `scans` (`account_id`, `created_at`);
-- create index "scan_asset_id" to table: "scans"
CREATE INDEX `scan_asset_id` ON `scans` (`asset_id`);
-- enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;

-- +goose Down
-- reverse: create index "scan_asset_id" to table: "scans"
DROP INDEX `scan_asset_id`;
-- reverse: create index "scan_account_id_created_at" to table: "scans"
DROP INDEX `scan_account_id_created_at`;
-- reverse: set sequence for "new_scans" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "new_scans";
-- reverse: create "new_scans" table
DROP TABLE `new_scans`;
-- reverse: create index "asset_status_signed_at" to table: "assets"
DROP INDEX `asset_status_signed_at`;
-- reverse: create index "asset_expires_at" to table: "assets"
DROP INDEX `asset_expires_at`;
-- reverse: create index "asset_account_id_status" to table: "assets"
DROP INDEX `asset_account_id_status`;
-- reverse: create index "asset_account_id_sha256" to table: "assets"
DROP INDEX `asset_account_id_sha256`;
-- reverse: create index "asset_account_id_created_at" to table: "assets"
DROP INDEX `asset_account_id_created_at`;
-- reverse: set sequence for "new_assets" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "new_assets";
-- reverse: create "new_assets" table
DROP TABLE `new_assets`;
