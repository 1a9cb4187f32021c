-- AlterTable
ALTER TABLE "SyncRun" ADD COLUMN     "applyPlanId" INTEGER;

-- AlterTable
ALTER TABLE "SyncItem" ADD COLUMN     "localStamp" TEXT,
ADD COLUMN     "remoteStamp" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "SyncRun_applyPlanId_key" ON "SyncRun"("applyPlanId");

-- AddForeignKey
ALTER TABLE "SyncRun" ADD CONSTRAINT "SyncRun_applyPlanId_fkey" FOREIGN KEY ("applyPlanId") REFERENCES "SyncRun"("id") ON DELETE SET NULL ON UPDATE CASCADE;

