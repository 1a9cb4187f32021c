-- AlterTable
ALTER TABLE "Advertiser" ADD COLUMN "base" JSONB;
ALTER TABLE "Advertiser" ADD COLUMN "changedAt" DATETIME;
ALTER TABLE "Advertiser" ADD COLUMN "conflict" JSONB;
ALTER TABLE "Advertiser" ADD COLUMN "conflictAt" DATETIME;
ALTER TABLE "Advertiser" ADD COLUMN "deletedAt" DATETIME;

-- AlterTable
ALTER TABLE "Zone" ADD COLUMN "base" JSONB;
ALTER TABLE "Zone" ADD COLUMN "changedAt" DATETIME;
ALTER TABLE "Zone" ADD COLUMN "conflict" JSONB;
ALTER TABLE "Zone" ADD COLUMN "conflictAt" DATETIME;
ALTER TABLE "Zone" ADD COLUMN "deletedAt" DATETIME;

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN "base" JSONB;
ALTER TABLE "Campaign" ADD COLUMN "changedAt" DATETIME;
ALTER TABLE "Campaign" ADD COLUMN "conflict" JSONB;
ALTER TABLE "Campaign" ADD COLUMN "conflictAt" DATETIME;
ALTER TABLE "Campaign" ADD COLUMN "deletedAt" DATETIME;

-- AlterTable
ALTER TABLE "Placement" ADD COLUMN "base" JSONB;
ALTER TABLE "Placement" ADD COLUMN "changedAt" DATETIME;
ALTER TABLE "Placement" ADD COLUMN "conflict" JSONB;
ALTER TABLE "Placement" ADD COLUMN "conflictAt" DATETIME;
ALTER TABLE "Placement" ADD COLUMN "deletedAt" DATETIME;

-- AlterTable
ALTER TABLE "SyncItem" ADD COLUMN "changes" JSONB;

