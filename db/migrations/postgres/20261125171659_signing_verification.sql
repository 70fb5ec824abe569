-- +goose Up
-- modify "assets" table
ALTER TABLE "assets" ADD COLUMN "signed_sha256" character varying NULL, ADD COLUMN "signed_cid" character varying NULL, ADD COLUMN "signed_size" bigint NULL;
-- modify "declarations" table
ALTER TABLE "declarations" ADD COLUMN "certificate_blob_key" character varying NULL;
-- modify "verifications" table
ALTER TABLE "verifications" ALTER COLUMN "confidence" TYPE character varying, ALTER COLUMN "confidence" SET DEFAULT 'LOW', ADD COLUMN "public_id" character varying NOT NULL, ADD COLUMN "media_type" character varying NULL, ADD COLUMN "status" character varying NOT NULL DEFAULT 'COMPLETE', ADD COLUMN "ai_declared" boolean NOT NULL DEFAULT false, ADD COLUMN "completed_at" timestamptz NULL, ADD COLUMN "declaration_id" bigint NULL, ADD CONSTRAINT "verifications_declarations_declaration" FOREIGN KEY ("declaration_id") REFERENCES "declarations" ("id") ON UPDATE NO ACTION ON DELETE SET NULL;
-- create index "verifications_public_id_key" to table: "verifications"
CREATE UNIQUE INDEX "verifications_public_id_key" ON "verifications" ("public_id");

-- +goose Down
-- reverse: create index "verifications_public_id_key" to table: "verifications"
DROP INDEX "verifications_public_id_key";
-- reverse: modify "verifications" table
ALTER TABLE "verifications" DROP CONSTRAINT "verifications_declarations_declaration", DROP COLUMN "declaration_id", DROP COLUMN "completed_at", DROP COLUMN "ai_declared", DROP COLUMN "status", DROP COLUMN "media_type", DROP COLUMN "public_id", ALTER COLUMN "confidence" TYPE double precision, ALTER COLUMN "confidence" SET DEFAULT 0;
-- reverse: modify "declarations" table
ALTER TABLE "declarations" DROP COLUMN "certificate_blob_key";
-- reverse: modify "assets" table
ALTER TABLE "assets" DROP COLUMN "signed_size", DROP COLUMN "signed_cid", DROP COLUMN "signed_sha256";
