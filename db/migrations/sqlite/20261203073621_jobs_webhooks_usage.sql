-- +goose Up
-- disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- create "new_jobs" table
CREATE TABLE `new_jobs` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `status` text NOT NULL DEFAULT ('QUEUED'), `collection_id` integer NULL, `total_assets` integer NOT NULL DEFAULT (0), `completed_assets` integer NOT NULL DEFAULT (0), `failed_assets` integer NOT NULL DEFAULT (0), `params` json NULL, `error` text NULL, `started_at` datetime NULL, `completed_at` datetime NULL, `expires_at` datetime NULL, `account_id` integer NOT NULL, `workflow_id` integer NULL, CONSTRAINT `jobs_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION, CONSTRAINT `jobs_workflows_jobs` FOREIGN KEY (`workflow_id`) REFERENCES `workflows` (`id`) ON DELETE SET NULL);
-- set sequence for "new_jobs" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_jobs", 25769803776);
-- copy rows from old table "jobs" to new temporary table "new_jobs"
INSERT INTO `new_jobs` (`id`, `created_at`, `updated_at`, `kind`, `status`, `error`, `started_at`, `completed_at`, `expires_at`, `account_id`, `workflow_id`) SELECT `id`, `created_at`, `updated_at`, `kind`, `status`, `error`, `started_at`, `completed_at`, `expires_at`, `account_id`, `workflow_id` FROM `jobs`;
-- drop "jobs" table after copying rows
DROP TABLE `jobs`;
-- rename temporary table "new_jobs" to "jobs"
ALTER TABLE `new_jobs` RENAME TO `jobs`;
-- create index "job_account_id_created_at" to table: "jobs"
CREATE INDEX `job_account_id_created_at` ON `jobs` (`account_id`, `created_at`);
-- create index "job_account_id_status" to table: "jobs"
CREATE INDEX `job_account_id_status` ON `jobs` (`account_id`, `status`);
-- create index "job_workflow_id" to table: "jobs"
CREATE INDEX `job_workflow_id` ON `jobs` (`workflow_id`);
-- create index "job_expires_at" to table: "jobs"
CREATE INDEX `job_expires_at` ON `jobs` (`expires_at`);
-- create "new_job_items" table
CREATE TABLE `new_job_items` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `status` text NOT NULL DEFAULT ('QUEUED'), `file_name` text NULL, `input_blob_key` text NULL, `attempts` integer NOT NULL DEFAULT (0), `error` text NULL, `started_at` datetime NULL, `completed_at` datetime NULL, `result` json NULL, `asset_id` integer NULL, `job_id` integer NOT NULL, `account_id` integer NOT NULL, CONSTRAINT `job_items_assets_job_items` FOREIGN KEY (`asset_id`) REFERENCES `assets` (`id`) ON DELETE SET NULL, CONSTRAINT `job_items_jobs_items` FOREIGN KEY (`job_id`) REFERENCES `jobs` (`id`) ON DELETE NO ACTION, CONSTRAINT `job_items_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION);
-- set sequence for "new_job_items" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_job_items", 30064771072);
-- copy rows from old table "job_items" to new temporary table "new_job_items"
INSERT INTO `new_job_items` (`id`, `created_at`, `updated_at`, `status`, `error`, `result`, `asset_id`, `job_id`, `account_id`) SELECT `id`, `created_at`, `updated_at`, `status`, `error`, `result`, `asset_id`, `job_id`, `account_id` FROM `job_items`;
-- drop "job_items" table after copying rows
DROP TABLE `job_items`;
-- rename temporary table "new_job_items" to "job_items"
ALTER TABLE `new_job_items` RENAME TO `job_items`;
-- create index "jobitem_account_id_created_at" to table: "job_items"
CREATE INDEX `jobitem_account_id_created_at` ON `job_items` (`account_id`, `created_at`);
-- create index "jobitem_job_id_status" to table: "job_items"
CREATE INDEX `jobitem_job_id_status` ON `job_items` (`job_id`, `status`);
-- create index "jobitem_asset_id" to table: "job_items"
CREATE INDEX `jobitem_asset_id` ON `job_items` (`asset_id`);
-- create "new_webhook_deliveries" table
CREATE TABLE `new_webhook_deliveries` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `message_id` text NOT NULL, `event` text NOT NULL, `succeeded` bool NOT NULL DEFAULT (false), `error` text NULL, `payload` json NULL, `attempt` integer NOT NULL DEFAULT (1), `response_status` integer NULL, `latency_ms` integer NULL, `next_attempt_at` datetime NULL, `webhook_id` integer NOT NULL, `account_id` integer NOT NULL, CONSTRAINT `webhook_deliveries_webhooks_deliveries` FOREIGN KEY (`webhook_id`) REFERENCES `webhooks` (`id`) ON DELETE NO ACTION, CONSTRAINT `webhook_deliveries_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION);
-- set sequence for "new_webhook_deliveries" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("new_webhook_deliveries", 51539607552);
-- copy rows from old table "webhook_deliveries" to new temporary table "new_webhook_deliveries"
INSERT INTO `new_webhook_deliveries` (`id`, `created_at`, `updated_at`, `event`, `payload`, `attempt`, `response_status`, `latency_ms`, `next_attempt_at`, `webhook_id`, `account_id`) SELECT `id`, `created_at`, `updated_at`, `event`, `payload`, `attempt`, `response_status`, `latency_ms`, `next_attempt_at`, `webhook_id`, `account_id` FROM `webhook_deliveries`;
-- drop "webhook_deliveries" table after copying rows
DROP TABLE `webhook_deliveries`;
-- rename temporary table "new_webhook_deliveries" to "webhook_deliveries"
ALTER TABLE `new_webhook_deliveries` RENAME TO `webhook_deliveries`;
-- create index "webhookdelivery_account_id_created_at" to table: "webhook_deliveries"
CREATE INDEX `webhookdelivery_account_id_created_at` ON `webhook_deliveries` (`account_id`, `created_at`);
-- create index "webhookdelivery_webhook_id_created_at" to table: "webhook_deliveries"
CREATE INDEX `webhookdelivery_webhook_id_created_at` ON `webhook_deliveries` (`webhook_id`, `created_at`);
-- create index "webhookdelivery_next_attempt_at" to table: "webhook_deliveries"
CREATE INDEX `webhookdelivery_next_attempt_at` ON `webhook_deliveries` (`next_attempt_at`);
-- create index "webhookdelivery_message_id" to table: "webhook_deliveries"
CREATE INDEX `webhookdelivery_message_id` ON `webhook_deliveries` (`message_id`);
-- add column "collection_id" to table: "workflows"
ALTER TABLE `workflows` ADD COLUMN `collection_id` integer NULL;
-- create "usage_counters" table
CREATE TABLE `usage_counters` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `account_id` integer NOT NULL, `name` text NOT NULL, `window_start` datetime NOT NULL, `count` integer NOT NULL DEFAULT (0), `expires_at` datetime NOT NULL);
-- set sequence for "usage_counters" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("usage_counters", 60129542144);
-- create index "usagecounter_account_id_name_window_start" to table: "usage_counters"
CREATE UNIQUE INDEX `usagecounter_account_id_name_window_start` ON `usage_counters` (`account_id`, `name`, `window_start`);
-- create index "usagecounter_expires_at" to table: "usage_counters"
CREATE INDEX `usagecounter_expires_at` ON `usage_counters` (`expires_at`);
-- enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;

-- +goose Down
-- reverse: create index "usagecounter_expires_at" to table: "usage_counters"
DROP INDEX `usagecounter_expires_at`;
-- reverse: create index "usagecounter_account_id_name_window_start" to table: "usage_counters"
DROP INDEX `usagecounter_account_id_name_window_start`;
-- reverse: set sequence for "usage_counters" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "usage_counters";
-- reverse: create "usage_counters" table
DROP TABLE `usage_counters`;
-- reverse: add column "collection_id" to table: "workflows"
ALTER TABLE `workflows` DROP COLUMN `collection_id`;
-- reverse: create index "webhookdelivery_message_id" to table: "webhook_deliveries"
DROP INDEX `webhookdelivery_message_id`;
-- reverse: create index "webhookdelivery_next_attempt_at" to table: "webhook_deliveries"
DROP INDEX `webhookdelivery_next_attempt_at`;
-- reverse: create index "webhookdelivery_webhook_id_created_at" to table: "webhook_deliveries"
DROP INDEX `webhookdelivery_webhook_id_created_at`;
-- reverse: create index "webhookdelivery_account_id_created_at" to table: "webhook_deliveries"
DROP INDEX `webhookdelivery_account_id_created_at`;
-- reverse: set sequence for "new_webhook_deliveries" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "new_webhook_deliveries";
-- reverse: create "new_webhook_deliveries" table
DROP TABLE `new_webhook_deliveries`;
-- reverse: create index "jobitem_asset_id" to table: "job_items"
DROP INDEX `jobitem_asset_id`;
-- reverse: create index "jobitem_job_id_status" to table: "job_items"
DROP INDEX `jobitem_job_id_status`;
-- reverse: create index "jobitem_account_id_created_at" to table: "job_items"
DROP INDEX `jobitem_account_id_created_at`;
-- reverse: set sequence for "new_job_items" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "new_job_items";
-- reverse: create "new_job_items" table
DROP TABLE `new_job_items`;
-- reverse: create index "job_expires_at" to table: "jobs"
DROP INDEX `job_expires_at`;
-- reverse: create index "job_workflow_id" to table: "jobs"
DROP INDEX `job_workflow_id`;
-- reverse: create index "job_account_id_status" to table: "jobs"
DROP INDEX `job_account_id_status`;
-- reverse: create index "job_account_id_created_at" to table: "jobs"
DROP INDEX `job_account_id_created_at`;
-- reverse: set sequence for "new_jobs" table
UPDATE sqlite_sequence SET seq = 0 WHERE name = "new_jobs";
-- reverse: create "new_jobs" table
DROP TABLE `new_jobs`;
