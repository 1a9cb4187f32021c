-- CreateTable
CREATE TABLE "SyncSchedule" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "networkId" INTEGER NOT NULL,
    "direction" TEXT NOT NULL,
    "entityTypes" JSONB NOT NULL,
    "every" TEXT,
    "cron" TEXT,
    "timeZone" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "retryAttempts" INTEGER,
    "retryDelay" TEXT,
    "nextRunAt" DATETIME,
    "lastRunId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SyncScheduleTick" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "scheduleId" INTEGER NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "outcome" TEXT NOT NULL,
    "runId" INTEGER,
    "reason" TEXT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SyncScheduleTick_scheduleId_fkey" FOREIGN KEY ("scheduleId") REFERENCES "SyncSchedule" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "runId" INTEGER NOT NULL,
    "attempt" INTEGER NOT NULL,
    "delivered" BOOLEAN NOT NULL,
    "httpStatus" INTEGER,
    "error" TEXT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "WebhookDelivery_runId_fkey" FOREIGN KEY ("runId") REFERENCES "SyncRun" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

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
    CONSTRAINT "SyncRun_retryOfId_fkey" FOREIGN KEY ("retryOfId") REFERENCES "SyncRun" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_SyncRun" ("activeKey", "attempts", "cancelRequested", "counts", "createdAt", "direction", "dryRun", "entityTypes", "failureReason", "finishedAt", "heartbeatAt", "id", "lastSeq", "networkId", "owner", "percentage", "phase", "retryOfId", "scope", "stalledAttempts", "startedAt", "status") SELECT "activeKey", "attempts", "cancelRequested", "counts", "createdAt", "direction", "dryRun", "entityTypes", "failureReason", "finishedAt", "heartbeatAt", "id", "lastSeq", "networkId", "owner", "percentage", "phase", "retryOfId", "scope", "stalledAttempts", "startedAt", "status" FROM "SyncRun";
DROP TABLE "SyncRun";
ALTER TABLE "new_SyncRun" RENAME TO "SyncRun";
CREATE UNIQUE INDEX "SyncRun_activeKey_key" ON "SyncRun"("activeKey");
CREATE INDEX "SyncRun_networkId_id_idx" ON "SyncRun"("networkId", "id");
CREATE INDEX "SyncRun_status_idx" ON "SyncRun"("status");
CREATE INDEX "SyncRun_autoRetryAt_idx" ON "SyncRun"("autoRetryAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "SyncSchedule_networkId_id_idx" ON "SyncSchedule"("networkId", "id");

-- CreateIndex
CREATE INDEX "SyncSchedule_nextRunAt_idx" ON "SyncSchedule"("nextRunAt");

-- CreateIndex
CREATE INDEX "SyncScheduleTick_scheduleId_id_idx" ON "SyncScheduleTick"("scheduleId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "SyncScheduleTick_scheduleId_dueAt_key" ON "SyncScheduleTick"("scheduleId", "dueAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_runId_id_idx" ON "WebhookDelivery"("runId", "id");

