-- AlterTable
ALTER TABLE "Advertiser" ADD COLUMN     "base" JSONB,
ADD COLUMN     "changedAt" TIMESTAMP(3),
ADD COLUMN     "conflict" JSONB,
ADD COLUMN     "conflictAt" TIMESTAMP(3),
ADD COLUMN     "deletedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Zone" ADD COLUMN     "base" JSONB,
ADD COLUMN     "changedAt" TIMESTAMP(3),
ADD COLUMN     "conflict" JSONB,
ADD COLUMN     "conflictAt" TIMESTAMP(3),
ADD COLUMN     "deletedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "base" JSONB,
ADD COLUMN     "changedAt" TIMESTAMP(3),
ADD COLUMN     "conflict" JSONB,
ADD COLUMN     "conflictAt" TIMESTAMP(3),
ADD COLUMN     "deletedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Placement" ADD COLUMN     "base" JSONB,
ADD COLUMN     "changedAt" TIMESTAMP(3),
ADD COLUMN     "conflict" JSONB,
ADD COLUMN     "conflictAt" TIMESTAMP(3),
ADD COLUMN     "deletedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "SyncItem" ADD COLUMN     "changes" JSONB;

