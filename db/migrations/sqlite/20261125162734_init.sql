-- +goose Up
-- create "api_keys" table
CREATE TABLE `api_keys` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL DEFAULT (''), `key_id` text NOT NULL, `prefix` text NOT NULL, `secret_hash` blob NOT NULL, `scopes` json NOT NULL, `revoked_at` datetime NULL, `last_used_at` datetime NULL, `account_id` integer NOT NULL, CONSTRAINT `api_keys_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION);
-- create index "api_keys_key_id_key" to table: "api_keys"
CREATE UNIQUE INDEX `api_keys_key_id_key` ON `api_keys` (`key_id`);
-- create index "apikey_account_id_created_at" to table: "api_keys"
CREATE INDEX `apikey_account_id_created_at` ON `api_keys` (`account_id`, `created_at`);
-- create index "apikey_account_id_revoked_at" to table: "api_keys"
CREATE INDEX `apikey_account_id_revoked_at` ON `api_keys` (`account_id`, `revoked_at`);
-- create "accounts" table
CREATE TABLE `accounts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `plan` text NOT NULL DEFAULT ('STARTER'), `monthly_asset_quota` integer NOT NULL DEFAULT (1000), `storage_quota_bytes` integer NOT NULL DEFAULT (5368709120), `retention_days` integer NOT NULL DEFAULT (30));
-- set sequence for "accounts" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("accounts", 4294967296);
-- create "assets" table
CREATE TABLE `assets` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `file_name` text NOT NULL, `media_type` text NOT NULL, `size` integer NOT NULL, `sha256` text NOT NULL, `cid` text NULL, `original_blob_key` text NOT NULL, `signed_blob_key` text NULL, `status` text NOT NULL DEFAULT ('PENDING'), `expires_at` datetime NULL, `account_id` integer NOT NULL, CONSTRAINT `assets_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION);
-- set sequence for "assets" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("assets", 8589934592);
-- create index "asset_account_id_created_at" to table: "assets"
CREATE INDEX `asset_account_id_created_at` ON `assets` (`account_id`, `created_at`);
-- create index "asset_account_id_sha256" to table: "assets"
CREATE INDEX `asset_account_id_sha256` ON `assets` (`account_id`, `sha256`);
-- create index "asset_account_id_status" to table: "assets"
CREATE INDEX `asset_account_id_status` ON `assets` (`account_id`, `status`);
-- create index "asset_expires_at" to table: "assets"
CREATE INDEX `asset_expires_at` ON `assets` (`expires_at`);
-- create "collections" table
CREATE TABLE `collections` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `description` text NULL, `account_id` integer NOT NULL, CONSTRAINT `collections_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION);
-- set sequence for "collections" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("collections", 12884901888);
-- create index "collection_account_id_created_at" to table: "collections"
CREATE INDEX `collection_account_id_created_at` ON `collections` (`account_id`, `created_at`);
-- create "declarations" table
CREATE TABLE `declarations` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `ai_model` text NULL, `custom_model` text NULL, `modification_type` text NOT NULL, `modification_description` text NULL, `purpose` text NULL, `purpose_context` text NULL, `human_review` bool NOT NULL DEFAULT (false), `reviewer_name` text NULL, `organization` text NULL, `asset_id` integer NULL, `account_id` integer NOT NULL, CONSTRAINT `declarations_assets_declarations` FOREIGN KEY (`asset_id`) REFERENCES `assets` (`id`) ON DELETE SET NULL, CONSTRAINT `declarations_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION);
-- set sequence for "declarations" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("declarations", 17179869184);
-- create index "declaration_account_id_created_at" to table: "declarations"
CREATE INDEX `declaration_account_id_created_at` ON `declarations` (`account_id`, `created_at`);
-- create index "declaration_asset_id" to table: "declarations"
CREATE INDEX `declaration_asset_id` ON `declarations` (`asset_id`);
-- create "events" table
CREATE TABLE `events` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `subject_id` text NULL, `payload` json NULL, `account_id` integer NOT NULL, CONSTRAINT `events_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION);
-- set sequence for "events" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("events", 21474836480);
-- create index "event_account_id_created_at" to table: "events"
CREATE INDEX `event_account_id_created_at` ON `events` (`account_id`, `created_at`);
-- create index "event_account_id_kind" to table: "events"
CREATE INDEX `event_account_id_kind` ON `events` (`account_id`, `kind`);
-- create "jobs" table
CREATE TABLE `jobs` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `status` text NOT NULL DEFAULT ('QUEUED'), `total_count` integer NOT NULL DEFAULT (0), `completed_count` integer NOT NULL DEFAULT (0), `failed_count` integer NOT NULL DEFAULT (0), `error` text NULL, `started_at` datetime NULL, `completed_at` datetime NULL, `expires_at` datetime NULL, `account_id` integer NOT NULL, `workflow_id` integer NULL, CONSTRAINT `jobs_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION, CONSTRAINT `jobs_workflows_jobs` FOREIGN KEY (`workflow_id`) REFERENCES `workflows` (`id`) ON DELETE SET NULL);
-- set sequence for "jobs" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("jobs", 25769803776);
-- create index "job_account_id_created_at" to table: "jobs"
CREATE INDEX `job_account_id_created_at` ON `jobs` (`account_id`, `created_at`);
-- create index "job_account_id_status" to table: "jobs"
CREATE INDEX `job_account_id_status` ON `jobs` (`account_id`, `status`);
-- create index "job_workflow_id" to table: "jobs"
CREATE INDEX `job_workflow_id` ON `jobs` (`workflow_id`);
-- create index "job_expires_at" to table: "jobs"
CREATE INDEX `job_expires_at` ON `jobs` (`expires_at`);
-- create "job_items" table
CREATE TABLE `job_items` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `status` text NOT NULL DEFAULT ('QUEUED'), `error` text NULL, `result` json NULL, `asset_id` integer NULL, `job_id` integer NOT NULL, `account_id` integer NOT NULL, CONSTRAINT `job_items_assets_job_items` FOREIGN KEY (`asset_id`) REFERENCES `assets` (`id`) ON DELETE SET NULL, CONSTRAINT `job_items_jobs_items` FOREIGN KEY (`job_id`) REFERENCES `jobs` (`id`) ON DELETE NO ACTION, CONSTRAINT `job_items_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION);
-- set sequence for "job_items" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("job_items", 30064771072);
-- create index "jobitem_account_id_created_at" to table: "job_items"
CREATE INDEX `jobitem_account_id_created_at` ON `job_items` (`account_id`, `created_at`);
-- create index "jobitem_job_id_status" to table: "job_items"
CREATE INDEX `jobitem_job_id_status` ON `job_items` (`job_id`, `status`);
-- create index "jobitem_asset_id" to table: "job_items"
CREATE INDEX `jobitem_asset_id` ON `job_items` (`asset_id`);
-- create "manifests" table
CREATE TABLE `manifests` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `label` text NOT NULL, `claim_generator` text NULL, `title` text NULL, `signer` text NULL, `signed_at` datetime NULL, `is_active` bool NOT NULL DEFAULT (false), `validation_state` text NOT NULL DEFAULT ('UNKNOWN'), `store_blob_key` text NULL, `asset_id` integer NOT NULL, `account_id` integer NOT NULL, CONSTRAINT `manifests_assets_manifests` FOREIGN KEY (`asset_id`) REFERENCES `assets` (`id`) ON DELETE NO ACTION, CONSTRAINT `manifests_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION);
-- set sequence for "manifests" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("manifests", 34359738368);
-- create index "manifest_account_id_created_at" to table: "manifests"
CREATE INDEX `manifest_account_id_created_at` ON `manifests` (`account_id`, `created_at`);
-- create index "manifest_asset_id" to table: "manifests"
CREATE INDEX `manifest_asset_id` ON `manifests` (`asset_id`);
-- create index "manifest_account_id_label" to table: "manifests"
CREATE INDEX `manifest_account_id_label` ON `manifests` (`account_id`, `label`);
-- create "scans" table
CREATE TABLE `scans` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `has_c2pa` bool NOT NULL DEFAULT (false), `has_xmp` bool NOT NULL DEFAULT (false), `ai_model` text NULL, `verdict` text NOT NULL DEFAULT ('UNKNOWN'), `raw_fields` json NULL, `report` json NULL, `asset_id` integer NOT NULL, `account_id` integer NOT NULL, CONSTRAINT `scans_assets_scans` FOREIGN KEY (`asset_id`) REFERENCES `assets` (`id`) ON DELETE NO ACTION, CONSTRAINT `scans_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION);
-- set sequence for "scans" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("scans", 38654705664);
-- create index "scan_account_id_created_at" to table: "scans"
CREATE INDEX `scan_account_id_created_at` ON `scans` (`account_id`, `created_at`);
-- create index "scan_asset_id" to table: "scans"
CREATE INDEX `scan_asset_id` ON `scans` (`asset_id`);
-- create "verifications" table
CREATE TABLE `verifications` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `file_name` text NULL, `sha256` text NULL, `trust_tier` text NOT NULL, `label` text NULL, `description` text NULL, `confidence` real NOT NULL DEFAULT (0), `edge_case` text NULL, `report` json NULL, `expires_at` datetime NULL, `asset_id` integer NULL, `account_id` integer NOT NULL, CONSTRAINT `verifications_assets_verifications` FOREIGN KEY (`asset_id`) REFERENCES `assets` (`id`) ON DELETE SET NULL, CONSTRAINT `verifications_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION);
-- set sequence for "verifications" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("verifications", 42949672960);
-- create index "verification_account_id_created_at" to table: "verifications"
CREATE INDEX `verification_account_id_created_at` ON `verifications` (`account_id`, `created_at`);
-- create index "verification_asset_id" to table: "verifications"
CREATE INDEX `verification_asset_id` ON `verifications` (`asset_id`);
-- create index "verification_expires_at" to table: "verifications"
CREATE INDEX `verification_expires_at` ON `verifications` (`expires_at`);
-- create "webhooks" table
CREATE TABLE `webhooks` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `url` text NOT NULL, `events` json NOT NULL, `secret` text NOT NULL, `active` bool NOT NULL DEFAULT (true), `account_id` integer NOT NULL, CONSTRAINT `webhooks_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION);
-- set sequence for "webhooks" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("webhooks", 47244640256);
-- create index "webhook_account_id_created_at" to table: "webhooks"
CREATE INDEX `webhook_account_id_created_at` ON `webhooks` (`account_id`, `created_at`);
-- create "webhook_deliveries" table
CREATE TABLE `webhook_deliveries` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `event` text NOT NULL, `payload` json NULL, `attempt` integer NOT NULL DEFAULT (1), `response_status` integer NULL, `latency_ms` integer NULL, `next_attempt_at` datetime NULL, `webhook_id` integer NOT NULL, `account_id` integer NOT NULL, CONSTRAINT `webhook_deliveries_webhooks_deliveries` FOREIGN KEY (`webhook_id`) REFERENCES `webhooks` (`id`) ON DELETE NO ACTION, CONSTRAINT `webhook_deliveries_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION);
-- set sequence for "webhook_deliveries" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("webhook_deliveries", 51539607552);
-- create index "webhookdelivery_account_id_created_at" to table: "webhook_deliveries"
CREATE INDEX `webhookdelivery_account_id_created_at` ON `webhook_deliveries` (`account_id`, `created_at`);
-- create index "webhookdelivery_webhook_id_created_at" to table: "webhook_deliveries"
CREATE INDEX `webhookdelivery_webhook_id_created_at` ON `webhook_deliveries` (`webhook_id`, `created_at`);
-- create index "webhookdelivery_next_attempt_at" to table: "webhook_deliveries"
CREATE INDEX `webhookdelivery_next_attempt_at` ON `webhook_deliveries` (`next_attempt_at`);
-- create "workflows" table
CREATE TABLE `workflows` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `steps` json NOT NULL, `declaration_template` json NULL, `enabled` bool NOT NULL DEFAULT (true), `account_id` integer NOT NULL, CONSTRAINT `workflows_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION);
-- set sequence for "workflows" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("workflows", 55834574848);
-- create index "workflow_account_id_created_at" to table: "workflows"
CREATE INDEX `workflow_account_id_created_at` ON `workflows` (`account_id`, `created_at`);
-- create "collection_assets" table
CREATE TABLE `collection_assets` (`collection_id` integer NOT NULL, `asset_id` integer NOT NULL, PRIMARY KEY (`collection_id`, `asset_id`), CONSTRAINT `collection_assets_collection_id` FOREIGN KEY (`collection_id`) REFERENCES `collections` (`id`) ON DELETE CASCADE, CONSTRAINT `collection_assets_asset_id` FOREIGN KEY (`asset_id`) REFERENCES `assets` (`id`) ON DELETE CASCADE);
-- create "manifest_ingredients" table
CREATE TABLE `manifest_ingredients` (`manifest_id` integer NOT NULL, `ingredient_of_id` integer NOT NULL, PRIMARY KEY (`manifest_id`, `ingredient_of_id`), CONSTRAINT `manifest_ingredients_manifest_id` FOREIGN KEY (`manifest_id`) REFERENCES `manifests` (`id`) ON DELETE CASCADE, CONSTRAINT `manifest_ingredients_ingredient_of_id` FOREIGN KEY (`ingredient_of_id`) REFERENCES `manifests` (`id`) ON DELETE CASCADE);

-- +goose Down
-- reverse: create "manifest_ingredients" table
DROP TABLE `manifest_ingredients`;
-- reverse: create "collection_assets" table
DROP TABLE `collection_assets`;
-- reverse: create index "workflow_account_id_created_at" to table: "workflows"
DROP INDEX `workflow_account_id_created_at`;
-- reverse: set sequence for "workflows" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "workflows";
-- reverse: create "workflows" table
DROP TABLE `workflows`;
-- reverse: create index "webhookdelivery_next_attempt_at" to table: "webhook_deliveries"
DROP INDEX `webhookdelivery_next_attempt_at`;
-- reverse: create index "webhookdelivery_webhook_id_created_at" to table: "webhook_deliveries"
DROP INDEX `webhookdelivery_webhook_id_created_at`;
-- reverse: create index "webhookdelivery_account_id_created_at" to table: "webhook_deliveries"
DROP INDEX `webhookdelivery_account_id_created_at`;
-- reverse: set sequence for "webhook_deliveries" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "webhook_deliveries";
-- reverse: create "webhook_deliveries" table
DROP TABLE `webhook_deliveries`;
-- reverse: create index "webhook_account_id_created_at" to table: "webhooks"
DROP INDEX `webhook_account_id_created_at`;
-- reverse: set sequence for "webhooks" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "webhooks";
-- reverse: create "webhooks" table
DROP TABLE `webhooks`;
-- reverse: create index "verification_expires_at" to table: "verifications"
DROP INDEX `verification_expires_at`;
-- reverse: create index "verification_asset_id" to table: "verifications"
DROP INDEX `verification_asset_id`;
-- reverse: create index "verification_account_id_created_at" to table: "verifications"
DROP INDEX `verification_account_id_created_at`;
-- reverse: set sequence for "verifications" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "verifications";
-- reverse: create "verifications" table
DROP TABLE `verifications`;
-- reverse: create index "scan_asset_id" to table: "scans"
DROP INDEX `scan_asset_id`;
-- reverse: create index "scan_account_id_created_at" to table: "scans"
DROP INDEX `scan_account_id_created_at`;
-- reverse: set sequence for "scans" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "scans";
-- reverse: create "scans" table
DROP TABLE `scans`;
-- reverse: create index "manifest_account_id_label" to table: "manifests"
DROP INDEX `manifest_account_id_label`;
-- reverse: create index "manifest_asset_id" to table: "manifests"
DROP INDEX `manifest_asset_id`;
-- reverse: create index "manifest_account_id_created_at" to table: "manifests"
DROP INDEX `manifest_account_id_created_at`;
-- reverse: set sequence for "manifests" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "manifests";
-- reverse: create "manifests" table
DROP TABLE `manifests`;
-- reverse: create index "jobitem_asset_id" to table: "job_items"
DROP INDEX `jobitem_asset_id`;
-- reverse: create index "jobitem_job_id_status" to table: "job_items"
DROP INDEX `jobitem_job_id_status`;
-- reverse: create index "jobitem_account_id_created_at" to table: "job_items"
DROP INDEX `jobitem_account_id_created_at`;
-- reverse: set sequence for "job_items" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "job_items";
-- reverse: create "job_items" table
DROP TABLE `job_items`;
-- reverse: create index "job_expires_at" to table: "jobs"
DROP INDEX `job_expires_at`;
-- reverse: create index "job_workflow_id" to table: "jobs"
DROP INDEX `job_workflow_id`;
-- reverse: create index "job_account_id_status" to table: "jobs"
DROP INDEX `job_account_id_status`;
-- reverse: create index "job_account_id_created_at" to table: "jobs"
DROP INDEX `job_account_id_created_at`;
-- reverse: set sequence for "jobs" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "jobs";
-- reverse: create "jobs" table
DROP TABLE `jobs`;
-- reverse: create index "event_account_id_kind" to table: "events"
DROP INDEX `event_account_id_kind`;
-- reverse: create index "event_account_id_created_at" to table: "events"
DROP INDEX `event_account_id_created_at`;
-- reverse: set sequence for "events" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "events";
-- reverse: create "events" table
DROP TABLE `events`;
-- reverse: create index "declaration_asset_id" to table: "declarations"
DROP INDEX `declaration_asset_id`;
-- reverse: create index "declaration_account_id_created_at" to table: "declarations"
DROP INDEX `declaration_account_id_created_at`;
-- reverse: set sequence for "declarations" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "declarations";
-- reverse: create "declarations" table
DROP TABLE `declarations`;
-- reverse: create index "collection_account_id_created_at" to table: "collections"
DROP INDEX `collection_account_id_created_at`;
-- reverse: set sequence for "collections" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "collections";
-- reverse: create "collections" table
DROP TABLE `collections`;
-- reverse: create index "asset_expires_at" to table: "assets"
DROP INDEX `asset_expires_at`;
-- reverse: create index "asset_account_id_status" to table: "assets"
DROP INDEX `asset_account_id_status`;
-- reverse: create index "asset_account_id_sha256" to table: "assets"
DROP INDEX `asset_account_id_sha256`;
-- reverse: create index "asset_account_id_created_at" to table: "assets"
DROP INDEX `asset_account_id_created_at`;
-- reverse: set sequence for "assets" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "assets";
-- reverse: create "assets" table
DROP TABLE `assets`;
-- reverse: set sequence for "accounts" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "accounts";
-- reverse: create "accounts" table
DROP TABLE `accounts`;
-- reverse: create index "apikey_account_id_revoked_at" to table: "api_keys"
DROP INDEX `apikey_account_id_revoked_at`;
-- reverse: create index "apikey_account_id_created_at" to table: "api_keys"
DROP INDEX `apikey_account_id_created_at`;
-- reverse: create index "api_keys_key_id_key" to table: "api_keys"
DROP INDEX `api_keys_key_id_key`;
-- reverse: create "api_keys" table
DROP TABLE `api_keys`;
