-- +goose Up
-- disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- add column "certificate_blob_key" to table: "declarations"
ALTER TABLE `declarations` ADD COLUMN `certificate_blob_key` text NULL;
-- create "new_verifications" table
CREATE TABLE `new_verifications` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `public_id` text NOT NULL, `file_name` text NULL, `media_type` text NULL, `sha256` text NULL, `status` text NOT NULL DEFAULT ('COMPLETE'), `trust_tier` text NOT NULL, `label` text NULL, `description` text NULL, `confidence` text NOT NULL DEFAULT ('LOW'), `edge_case` text NULL, `ai_declared` bool NOT NULL DEFAULT (false), `report` json NULL, `completed_at` datetime NULL, `expires_at` datetime NULL, `asset_id` integer NULL, `account_id` integer NOT NULL, `declaration_id` integer NULL, CONSTRAINT `verifications_assets_verifications` FOREIGN KEY (`asset_id`) REFERENCES `assets` (`id`) ON DELETE SET NULL, CONSTRAINT `verifications_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION, CONSTRAINT `verifications_declarations_declaration` FOREIGN KEY (`declaration_id`) REFERENCES `declarations` (`id`) ON DELETE SET NULL);
-- set sequence for "new_verifications" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_verifications", 42949672960);
-- copy rows from old table "verifications" to new temporary table "new_verifications"
INSERT INTO `new_verifications` (`id`, `created_at`, `updated_at`, `file_name`, `sha256`, `trust_tier`, `label`, `description`, `confidence`, `edge_case`, `report`, `expires_at`, `asset_id`, `account_id`) SELECT `id`, `created_at`, `updated_at`, `file_name`, `sha256`, `trust_tier`, `label`, `description`, IFNULL(`confidence`, ('LOW')) AS `confidence`, `edge_case`, `report`, `expires_at`, `asset_id`, `account_id` FROM `verifications`;
-- drop "verifications" table after copying rows
DROP TABLE `verifications`;
-- rename temporary table "new_verifications" to "verifications"
ALTER TABLE `new_verifications` RENAME TO `verifications`;
-- create index "verifications_public_id_key" to table: "verifications"
CREATE UNIQUE INDEX `verifications_public_id_key` ON `verifications` (`public_id`);
-- create index "verification_account_id_created_at" to table: "verifications"
CREATE INDEX `verification_account_id_created_at` ON `verifications` (`account_id`, `created_at`);
-- create index "verification_asset_id" to table: "verifications"
CREATE INDEX `verification_asset_id` ON `verifications` (`asset_id`);
-- create index "verification_expires_at" to table: "verifications"
CREATE INDEX `verification_expires_at` ON `verifications` (`expires_at`);
-- add column "signed_sha256" to table: "assets"
ALTER TABLE `assets` ADD COLUMN `signed_sha256` text NULL;
-- add column "signed_cid" to table: "assets"
ALTER TABLE `assets` ADD COLUMN `signed_cid` text NULL;
-- add column "signed_size" to table: "assets"
ALTER TABLE `assets` ADD COLUMN `signed_size` integer NULL;
-- enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;

-- +goose Down
-- reverse: add column "signed_size" to table: "assets"
ALTER TABLE `assets` DROP COLUMN `signed_size`;
-- reverse: add column "signed_cid" to table: "assets"
ALTER TABLE `assets` DROP COLUMN `signed_cid`;
-- reverse: add column "signed_sha256" to table: "assets"
ALTER TABLE `assets` DROP COLUMN `signed_sha256`;
-- reverse: create index "verification_expires_at" to table: "verifications"
DROP INDEX `verification_expires_at`;
-- reverse: create index "verification_asset_id" to table: "verifications"
DROP INDEX `verification_asset_id`;
-- reverse: create index "verification_account_id_created_at" to table: "verifications"
DROP INDEX `verification_account_id_created_at`;
-- reverse: create index "verifications_public_id_key" to table: "verifications"
DROP INDEX `verifications_public_id_key`;
-- reverse: set sequence for "new_verifications" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "new_verifications";
-- reverse: create "new_verifications" table
DROP TABLE `new_verifications`;
-- reverse: add column "certificate_blob_key" to table: "declarations"
ALTER TABLE `declarations` DROP COLUMN `certificate_blob_key`;
