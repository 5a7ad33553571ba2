-- Time-ordered UUIDs (RFC 9562 version 7: 48-bit Unix milliseconds, then random bits) for rows
-- created in SQL, so that inserts append to the primary key index. PostgreSQL 15 has no built-in
-- generator. Bulk loads stage ids made by the worker instead (libs/db uuidV7), which is faster.
CREATE FUNCTION uuid_generate_v7() RETURNS uuid LANGUAGE sql VOLATILE AS $fn$
  SELECT encode(set_byte(b, 6, (get_byte(b, 6) & 15) | 112), 'hex')::uuid
    FROM (SELECT overlay(uuid_send(gen_random_uuid())
                 PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
                 FROM 1 FOR 6) AS b) AS random_bytes
$fn$;

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('admin', 'risk_manager', 'procurement', 'viewer');

-- CreateEnum
CREATE TYPE "Criticality" AS ENUM ('low', 'medium', 'high', 'critical');

-- CreateEnum
CREATE TYPE "Relationship" AS ENUM ('supplier', 'customer', 'joint_venture', 'logistics', 'distributor', 'service_provider', 'other');

-- CreateEnum
CREATE TYPE "ListKind" AS ENUM ('sanctions', 'export_control', 'forced_labor', 'debarment', 'court_defaulter', 'serious_illegal_dishonest', 'abnormal_operations', 'tax_violation', 'admin_penalty', 'redlist');

-- CreateEnum
CREATE TYPE "SourceMode" AS ENUM ('bulk', 'lookup');

-- CreateEnum
CREATE TYPE "SnapshotMode" AS ENUM ('full', 'delta');

-- CreateEnum
CREATE TYPE "SnapshotStatus" AS ENUM ('staging', 'staged', 'applied', 'superseded', 'quarantined', 'rejected', 'failed');

-- CreateEnum
CREATE TYPE "ChangeType" AS ENUM ('ADDED', 'REMOVED', 'MODIFIED');

-- CreateEnum
CREATE TYPE "MatchMethod" AS ENUM ('identifier', 'exact_name', 'fuzzy_name');

-- CreateEnum
CREATE TYPE "MatchState" AS ENUM ('confirmed', 'pending_review', 'dismissed');

-- CreateEnum
CREATE TYPE "ListStatus" AS ENUM ('CLEAR', 'LISTED');

-- CreateEnum
CREATE TYPE "StatusEventType" AS ENUM ('LISTED', 'DELISTED', 'DETAILS_CHANGED');

-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('info', 'low', 'medium', 'high', 'critical');

-- CreateEnum
CREATE TYPE "AlertState" AS ENUM ('open', 'acknowledged', 'resolved');

-- CreateEnum
CREATE TYPE "Channel" AS ENUM ('webhook', 'email', 'slack', 'teams', 'wecom', 'dingtalk', 'feishu');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('pending', 'delivered', 'failed', 'dead');

-- CreateTable
CREATE TABLE "organization" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_key" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "supplier" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "external_id" TEXT,
    "uscc" TEXT,
    "name_zh" TEXT,
    "name_en" TEXT,
    "aliases" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "country" CHAR(2),
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "criticality" "Criticality" NOT NULL DEFAULT 'medium',
    "relationship" "Relationship" NOT NULL DEFAULT 'supplier',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "supplier_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "supplier_identifier" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "supplier_id" UUID NOT NULL,
    "scheme" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "supplier_identifier_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "watchlist" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "owner_team" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "watchlist_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "watchlist_member" (
    "watchlist_id" UUID NOT NULL,
    "supplier_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "added_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "watchlist_member_pkey" PRIMARY KEY ("watchlist_id","supplier_id")
);

-- CreateTable
CREATE TABLE "source" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "key" TEXT NOT NULL,
    "organization_id" UUID,
    "name" TEXT NOT NULL,
    "adapter" TEXT NOT NULL,
    "mode" "SourceMode" NOT NULL DEFAULT 'bulk',
    "list_kind" "ListKind" NOT NULL,
    "url" TEXT NOT NULL,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "interval_seconds" INTEGER NOT NULL DEFAULT 3600,
    "rate_limit_per_minute" INTEGER,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "guard" JSONB NOT NULL DEFAULT '{}',
    "cursor" TEXT,
    "etag" TEXT,
    "last_modified" TEXT,
    "last_polled_at" TIMESTAMPTZ(3),
    "last_poll_result" TEXT,
    "last_changed_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "last_error_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "source_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "snapshot" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "source_id" UUID NOT NULL,
    "content_hash" TEXT NOT NULL,
    "size_bytes" BIGINT NOT NULL,
    "row_count" INTEGER NOT NULL DEFAULT 0,
    "error_count" INTEGER NOT NULL DEFAULT 0,
    "fetched_at" TIMESTAMPTZ(3) NOT NULL,
    "etag" TEXT,
    "last_modified" TEXT,
    "encoding" TEXT,
    "mode" "SnapshotMode" NOT NULL DEFAULT 'full',
    "cursor" TEXT,
    "scope" TEXT,
    "truncated" BOOLEAN NOT NULL DEFAULT false,
    "status" "SnapshotStatus" NOT NULL DEFAULT 'staging',
    "status_reason" TEXT,
    "added_count" INTEGER NOT NULL DEFAULT 0,
    "removed_count" INTEGER NOT NULL DEFAULT 0,
    "modified_count" INTEGER NOT NULL DEFAULT 0,
    "applied_at" TIMESTAMPTZ(3),
    "decided_by" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "screened_at" TIMESTAMPTZ(3),
    "errors" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "snapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
-- Unlogged: scratch space for parsed rows awaiting their diff. A crash may lose it, and the poll is simply run again.
CREATE UNLOGGED TABLE "staged_entry" (
    "seq" BIGSERIAL NOT NULL,
    "snapshot_id" UUID NOT NULL,
    "entry_key" TEXT NOT NULL,
    "record" TEXT NOT NULL,
    "content_hash" TEXT NOT NULL DEFAULT '',
    "entry_id" UUID NOT NULL,
    "delisted" BOOLEAN NOT NULL DEFAULT false,
    "identifiers" TEXT NOT NULL DEFAULT '',
    "removed" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "staged_entry_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "list_entry" (
    "id" UUID NOT NULL DEFAULT uuid_generate_v7(),
    "source_id" UUID NOT NULL,
    "entry_key" TEXT NOT NULL,
    "content_hash" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "record" JSON NOT NULL,
    "snapshot_id" UUID NOT NULL,
    "scope" TEXT,
    "delisted" BOOLEAN NOT NULL DEFAULT false,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "last_change_at" TIMESTAMPTZ(3) NOT NULL,
    "removed_at" TIMESTAMPTZ(3),

    CONSTRAINT "list_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "list_entry_version" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "entry_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "snapshot_id" UUID NOT NULL,
    "content_hash" TEXT NOT NULL,
    "record" JSON NOT NULL,
    "valid_from" TIMESTAMPTZ(3) NOT NULL,
    "valid_to" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "list_entry_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "list_entry_identifier" (
    "entry_id" UUID NOT NULL,
    "source_id" UUID NOT NULL,
    "scheme" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "list_entry_identifier_pkey" PRIMARY KEY ("entry_id","scheme","value")
);

-- CreateTable
CREATE TABLE "change" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "seq" BIGSERIAL NOT NULL,
    "source_id" UUID NOT NULL,
    "snapshot_id" UUID NOT NULL,
    "entry_id" UUID NOT NULL,
    "type" "ChangeType" NOT NULL,
    "from_version" INTEGER,
    "to_version" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "change_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "match" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "supplier_id" UUID NOT NULL,
    "entry_id" UUID NOT NULL,
    "method" "MatchMethod" NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "explanation" JSONB NOT NULL DEFAULT '{}',
    "state" "MatchState" NOT NULL,
    "decided_by" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "match_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "supplier_list_status" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "supplier_id" UUID NOT NULL,
    "source_id" UUID NOT NULL,
    "list_kind" "ListKind" NOT NULL,
    "status" "ListStatus" NOT NULL,
    "since" TIMESTAMPTZ(3) NOT NULL,
    "entry_ids" UUID[],
    "reason" TEXT,
    "authority" TEXT,
    "listed_on" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "supplier_list_status_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "status_event" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "supplier_id" UUID NOT NULL,
    "source_id" UUID NOT NULL,
    "entry_id" UUID NOT NULL,
    "change_id" UUID,
    "snapshot_id" UUID,
    "type" "StatusEventType" NOT NULL,
    "from_status" "ListStatus" NOT NULL,
    "to_status" "ListStatus" NOT NULL,
    "event_key" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "status_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "supplier_id" UUID,
    "status_event_id" UUID,
    "source_id" UUID,
    "entry_id" UUID,
    "type" TEXT NOT NULL,
    "severity" "Severity" NOT NULL,
    "state" "AlertState" NOT NULL DEFAULT 'open',
    "title" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "idempotency_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledged_at" TIMESTAMPTZ(3),
    "resolved_at" TIMESTAMPTZ(3),
    "resolution" TEXT,
    "assignee" TEXT,

    CONSTRAINT "alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "subscription" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "channel" "Channel" NOT NULL,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "filters" JSONB NOT NULL DEFAULT '{}',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "subscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delivery" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "alert_id" UUID NOT NULL,
    "subscription_id" UUID NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempt_count" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "receiver_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),
    "next_attempt_at" TIMESTAMPTZ(3),

    CONSTRAINT "delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delivery_attempt" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "delivery_id" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "http_status" INTEGER,
    "error" TEXT,

    CONSTRAINT "delivery_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_event" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID,
    "actor_type" TEXT NOT NULL,
    "actor_id" TEXT,
    "action" TEXT NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" TEXT,
    "data" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "organization_slug_key" ON "organization"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "api_key_prefix_key" ON "api_key"("prefix");

-- CreateIndex
CREATE UNIQUE INDEX "api_key_secret_hash_key" ON "api_key"("secret_hash");

-- CreateIndex
CREATE INDEX "api_key_organization_id_idx" ON "api_key"("organization_id");

-- CreateIndex
CREATE INDEX "supplier_uscc_idx" ON "supplier"("uscc");

-- CreateIndex
CREATE UNIQUE INDEX "supplier_organization_id_uscc_key" ON "supplier"("organization_id", "uscc");

-- CreateIndex
CREATE UNIQUE INDEX "supplier_organization_id_external_id_key" ON "supplier"("organization_id", "external_id");

-- CreateIndex
CREATE INDEX "supplier_identifier_scheme_value_idx" ON "supplier_identifier"("scheme", "value");

-- CreateIndex
CREATE UNIQUE INDEX "supplier_identifier_supplier_id_scheme_value_key" ON "supplier_identifier"("supplier_id", "scheme", "value");

-- CreateIndex
CREATE UNIQUE INDEX "watchlist_organization_id_name_key" ON "watchlist"("organization_id", "name");

-- CreateIndex
CREATE INDEX "watchlist_member_supplier_id_idx" ON "watchlist_member"("supplier_id");

-- CreateIndex
CREATE UNIQUE INDEX "source_key_key" ON "source"("key");

-- CreateIndex
CREATE INDEX "snapshot_source_id_fetched_at_idx" ON "snapshot"("source_id", "fetched_at" DESC);

-- CreateIndex
CREATE INDEX "snapshot_source_id_scope_fetched_at_idx" ON "snapshot"("source_id", "scope", "fetched_at" DESC);

-- CreateIndex
CREATE INDEX "staged_entry_snapshot_id_entry_key_idx" ON "staged_entry"("snapshot_id", "entry_key");

-- CreateIndex
CREATE INDEX "list_entry_snapshot_id_idx" ON "list_entry"("snapshot_id");

-- CreateIndex
CREATE INDEX "list_entry_source_id_scope_idx" ON "list_entry"("source_id", "scope");

-- CreateIndex
CREATE UNIQUE INDEX "list_entry_source_id_entry_key_key" ON "list_entry"("source_id", "entry_key");

-- CreateIndex
CREATE UNIQUE INDEX "list_entry_version_entry_id_version_key" ON "list_entry_version"("entry_id", "version");

-- CreateIndex
CREATE INDEX "list_entry_identifier_scheme_value_idx" ON "list_entry_identifier"("scheme", "value");

-- CreateIndex
CREATE UNIQUE INDEX "change_seq_key" ON "change"("seq");

-- CreateIndex
CREATE INDEX "change_snapshot_id_idx" ON "change"("snapshot_id");

-- CreateIndex
CREATE INDEX "change_entry_id_idx" ON "change"("entry_id");

-- CreateIndex
CREATE INDEX "change_source_id_seq_idx" ON "change"("source_id", "seq");

-- CreateIndex
CREATE INDEX "match_entry_id_idx" ON "match"("entry_id");

-- CreateIndex
CREATE INDEX "match_organization_id_state_idx" ON "match"("organization_id", "state");

-- CreateIndex
CREATE UNIQUE INDEX "match_supplier_id_entry_id_key" ON "match"("supplier_id", "entry_id");

-- CreateIndex
CREATE INDEX "supplier_list_status_organization_id_status_idx" ON "supplier_list_status"("organization_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "supplier_list_status_supplier_id_source_id_key" ON "supplier_list_status"("supplier_id", "source_id");

-- CreateIndex
CREATE INDEX "status_event_supplier_id_occurred_at_idx" ON "status_event"("supplier_id", "occurred_at");

-- CreateIndex
CREATE UNIQUE INDEX "status_event_organization_id_event_key_key" ON "status_event"("organization_id", "event_key");

-- CreateIndex
CREATE INDEX "alert_organization_id_created_at_idx" ON "alert"("organization_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "alert_supplier_id_entry_id_idx" ON "alert"("supplier_id", "entry_id");

-- CreateIndex
CREATE UNIQUE INDEX "alert_organization_id_idempotency_key_key" ON "alert"("organization_id", "idempotency_key");

-- CreateIndex
CREATE INDEX "subscription_organization_id_idx" ON "subscription"("organization_id");

-- CreateIndex
CREATE INDEX "delivery_status_created_at_idx" ON "delivery"("status", "created_at");

-- CreateIndex
CREATE INDEX "delivery_organization_id_created_at_idx" ON "delivery"("organization_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "delivery_alert_id_subscription_id_key" ON "delivery"("alert_id", "subscription_id");

-- CreateIndex
CREATE UNIQUE INDEX "delivery_attempt_delivery_id_attempt_key" ON "delivery_attempt"("delivery_id", "attempt");

-- CreateIndex
CREATE INDEX "audit_event_organization_id_created_at_idx" ON "audit_event"("organization_id", "created_at" DESC);

-- AddForeignKey
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "supplier" ADD CONSTRAINT "supplier_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "supplier_identifier" ADD CONSTRAINT "supplier_identifier_supplier_id_fkey" FOREIGN KEY ("supplier_id") REFERENCES "supplier"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "watchlist" ADD CONSTRAINT "watchlist_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "watchlist_member" ADD CONSTRAINT "watchlist_member_watchlist_id_fkey" FOREIGN KEY ("watchlist_id") REFERENCES "watchlist"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "watchlist_member" ADD CONSTRAINT "watchlist_member_supplier_id_fkey" FOREIGN KEY ("supplier_id") REFERENCES "supplier"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "source" ADD CONSTRAINT "source_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "snapshot" ADD CONSTRAINT "snapshot_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "source"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "change" ADD CONSTRAINT "change_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "source"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "change" ADD CONSTRAINT "change_snapshot_id_fkey" FOREIGN KEY ("snapshot_id") REFERENCES "snapshot"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "change" ADD CONSTRAINT "change_entry_id_fkey" FOREIGN KEY ("entry_id") REFERENCES "list_entry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "match" ADD CONSTRAINT "match_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "match" ADD CONSTRAINT "match_supplier_id_fkey" FOREIGN KEY ("supplier_id") REFERENCES "supplier"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "match" ADD CONSTRAINT "match_entry_id_fkey" FOREIGN KEY ("entry_id") REFERENCES "list_entry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "supplier_list_status" ADD CONSTRAINT "supplier_list_status_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "supplier_list_status" ADD CONSTRAINT "supplier_list_status_supplier_id_fkey" FOREIGN KEY ("supplier_id") REFERENCES "supplier"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "supplier_list_status" ADD CONSTRAINT "supplier_list_status_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "source"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "status_event" ADD CONSTRAINT "status_event_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "status_event" ADD CONSTRAINT "status_event_supplier_id_fkey" FOREIGN KEY ("supplier_id") REFERENCES "supplier"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "status_event" ADD CONSTRAINT "status_event_change_id_fkey" FOREIGN KEY ("change_id") REFERENCES "change"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert" ADD CONSTRAINT "alert_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert" ADD CONSTRAINT "alert_supplier_id_fkey" FOREIGN KEY ("supplier_id") REFERENCES "supplier"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert" ADD CONSTRAINT "alert_status_event_id_fkey" FOREIGN KEY ("status_event_id") REFERENCES "status_event"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "subscription" ADD CONSTRAINT "subscription_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery" ADD CONSTRAINT "delivery_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery" ADD CONSTRAINT "delivery_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alert"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery" ADD CONSTRAINT "delivery_subscription_id_fkey" FOREIGN KEY ("subscription_id") REFERENCES "subscription"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery_attempt" ADD CONSTRAINT "delivery_attempt_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "delivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
