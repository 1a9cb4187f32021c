-- AlterTable
ALTER TABLE "Network" ADD COLUMN     "broadstreetBaseUrl" TEXT;

-- AlterTable
ALTER TABLE "SyncRun" ADD COLUMN     "stalledAttempts" INTEGER NOT NULL DEFAULT 0;

