-- AlterTable
ALTER TABLE "SyncItem" ADD COLUMN     "planKey" TEXT;

