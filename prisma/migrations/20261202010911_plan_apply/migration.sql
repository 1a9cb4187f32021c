-- AlterTable
ALTER TABLE "SyncItem" ADD COLUMN "localStamp" TEXT;
ALTER TABLE "SyncItem" ADD COLUMN "remoteStamp" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_SyncRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "networkId" INTEGER NOT NULL,
    "direction" TEXT NOT NULL,
    "dryRun" BOOLEAN NOT NULL DEFAULT false,
    "entityTypes" JSONB NOT NULL,
    "retryOfId" INTEGER,
    "scope" JSONB,
    "status" TEXT NOT NULL,
    "phase" TEXT,
    "percentage" INTEGER NOT NULL DEFAULT 0,
    "counts" JSONB NOT NULL,
    "failureReason" TEXT,
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "activeKey" TEXT,
    "lastSeq" INTEGER NOT NULL DEFAULT 0,
    "owner" TEXT,
    "heartbeatAt" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "stalledAttempts" INTEGER NOT NULL DEFAULT 0,
    "trigger" TEXT NOT NULL DEFAULT 'MANUAL',
    "scheduleId" INTEGER,
    "autoRetryAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "applyPlanId" INTEGER,
    CONSTRAINT "SyncRun_retryOfId_fkey" FOREIGN KEY ("retryOfId") REFERENCES "SyncRun" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "SyncRun_applyPlanId_fkey" FOREIGN KEY ("applyPlanId") REFERENCES "SyncRun" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_SyncRun" ("activeKey", "attempts", "cancelRequested", "counts", "createdAt", "direction", "dryRun", "entityTypes", "failureReason", "finishedAt", "heartbeatAt", "id", "lastSeq", "networkId", "owner", "percentage", "phase", "retryOfId", "scope", "stalledAttempts", "startedAt", "status", "trigger", "scheduleId", "autoRetryAt") SELECT "activeKey", "attempts", "cancelRequested", "counts", "createdAt", "direction", "dryRun", "entityTypes", "failureReason", "finishedAt", "heartbeatAt", "id", "lastSeq", "networkId", "owner", "percentage", "phase", "retryOfId", "scope", "stalledAttempts", "startedAt", "status", "trigger", "scheduleId", "autoRetryAt" FROM "SyncRun";
DROP TABLE "SyncRun";
ALTER TABLE "new_SyncRun" RENAME TO "SyncRun";
CREATE UNIQUE INDEX "SyncRun_activeKey_key" ON "SyncRun"("activeKey");
CREATE UNIQUE INDEX "SyncRun_applyPlanId_key" ON "SyncRun"("applyPlanId");
CREATE INDEX "SyncRun_networkId_id_idx" ON "SyncRun"("networkId", "id");
CREATE INDEX "SyncRun_status_idx" ON "SyncRun"("status");
CREATE INDEX "SyncRun_autoRetryAt_idx" ON "SyncRun"("autoRetryAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

