-- +goose Up
-- create index "declaration_account_id_created_at_purpose_modification_type" to table: "declarations"
CREATE INDEX `declaration_account_id_created_at_purpose_modification_type` ON `declarations` (`account_id`, `created_at`, `purpose`, `modification_type`);
-- create index "asset_account_id_created_at_media_type_size" to table: "assets"
CREATE INDEX `asset_account_id_created_at_media_type_size` ON `assets` (`account_id`, `created_at`, `media_type`, `size`);
-- create index "scan_account_id_created_at_verdict_ai_model" to table: "scans"
CREATE INDEX `scan_account_id_created_at_verdict_ai_model` ON `scans` (`account_id`, `created_at`, `verdict`, `ai_model`);
-- create index "verification_account_id_created_at_trust_tier" to table: "verifications"
CREATE INDEX `verification_account_id_created_at_trust_tier` ON `verifications` (`account_id`, `created_at`, `trust_tier`);

-- +goose Down
-- reverse: create index "verification_account_id_created_at_trust_tier" to table: "verifications"
DROP INDEX `verification_account_id_created_at_trust_tier`;
-- reverse: create index "scan_account_id_created_at_verdict_ai_model" to table: "scans"
DROP INDEX `scan_account_id_created_at_verdict_ai_model`;
-- reverse: create index "asset_account_id_created_at_media_type_size" to table: "assets"
DROP INDEX `asset_account_id_created_at_media_type_size`;
-- reverse: create index "declaration_account_id_created_at_purpose_modification_type" to table: "declarations"
DROP INDEX `declaration_account_id_created_at_purpose_modification_type`;
