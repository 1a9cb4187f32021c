-- AlterTable
ALTER TABLE "SyncRun" ADD COLUMN     "autoRetryAt" TIMESTAMP(3),
ADD COLUMN     "scheduleId" INTEGER,
ADD COLUMN     "trigger" TEXT NOT NULL DEFAULT 'MANUAL';

-- CreateTable
CREATE TABLE "SyncSchedule" (
    "id" SERIAL NOT NULL,
    "networkId" INTEGER NOT NULL,
    "direction" TEXT NOT NULL,
    "entityTypes" JSONB NOT NULL,
    "every" TEXT,
    "cron" TEXT,
    "timeZone" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "retryAttempts" INTEGER,
    "retryDelay" TEXT,
    "nextRunAt" TIMESTAMP(3),
    "lastRunId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SyncSchedule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncScheduleTick" (
    "id" SERIAL NOT NULL,
    "scheduleId" INTEGER NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "outcome" TEXT NOT NULL,
    "runId" INTEGER,
    "reason" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SyncScheduleTick_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" SERIAL NOT NULL,
    "runId" INTEGER NOT NULL,
    "attempt" INTEGER NOT NULL,
    "delivered" BOOLEAN NOT NULL,
    "httpStatus" INTEGER,
    "error" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

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

-- CreateIndex
CREATE INDEX "SyncRun_autoRetryAt_idx" ON "SyncRun"("autoRetryAt");

-- AddForeignKey
ALTER TABLE "SyncScheduleTick" ADD CONSTRAINT "SyncScheduleTick_scheduleId_fkey" FOREIGN KEY ("scheduleId") REFERENCES "SyncSchedule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_runId_fkey" FOREIGN KEY ("runId") REFERENCES "SyncRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

