-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Network" (
    "id" SERIAL NOT NULL,
    "mongoId" TEXT NOT NULL,
    "broadstreetId" INTEGER,
    "name" TEXT NOT NULL,
    "groupId" INTEGER,
    "webHomeUrl" TEXT,
    "logoUrl" TEXT,
    "valetActive" BOOLEAN,
    "path" TEXT,
    "createdLocally" BOOLEAN NOT NULL DEFAULT false,
    "syncedAt" TIMESTAMP(3),
    "removedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Network_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Advertiser" (
    "id" SERIAL NOT NULL,
    "mongoId" TEXT NOT NULL,
    "broadstreetId" INTEGER,
    "networkId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "webHomeUrl" TEXT,
    "notes" TEXT,
    "logoUrl" TEXT,
    "admins" JSONB NOT NULL,
    "createdLocally" BOOLEAN NOT NULL DEFAULT false,
    "syncedAt" TIMESTAMP(3),
    "removedAt" TIMESTAMP(3),
    "intentName" TEXT,
    "intentRunId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Advertiser_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Zone" (
    "id" SERIAL NOT NULL,
    "mongoId" TEXT NOT NULL,
    "broadstreetId" INTEGER,
    "networkId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "alias" TEXT,
    "selfServe" BOOLEAN NOT NULL DEFAULT false,
    "displaySettings" JSONB,
    "createdLocally" BOOLEAN NOT NULL DEFAULT false,
    "syncedAt" TIMESTAMP(3),
    "removedAt" TIMESTAMP(3),
    "intentName" TEXT,
    "intentRunId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Zone_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Advertisement" (
    "id" SERIAL NOT NULL,
    "mongoId" TEXT NOT NULL,
    "broadstreetId" INTEGER,
    "networkId" INTEGER NOT NULL,
    "advertiserId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT,
    "previewUrl" TEXT,
    "activeUrl" TEXT,
    "remoteUpdatedAt" TIMESTAMP(3),
    "createdLocally" BOOLEAN NOT NULL DEFAULT false,
    "syncedAt" TIMESTAMP(3),
    "removedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Advertisement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Campaign" (
    "id" SERIAL NOT NULL,
    "mongoId" TEXT NOT NULL,
    "broadstreetId" INTEGER,
    "networkId" INTEGER NOT NULL,
    "advertiserId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "startDate" TEXT,
    "endDate" TEXT,
    "weight" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "displayType" TEXT DEFAULT 'no_repeat',
    "pacingType" TEXT DEFAULT 'asap',
    "impressionMaxType" TEXT DEFAULT 'cap',
    "maxImpressionCount" INTEGER,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "archived" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN,
    "notes" TEXT,
    "path" TEXT,
    "createdLocally" BOOLEAN NOT NULL DEFAULT false,
    "syncedAt" TIMESTAMP(3),
    "removedAt" TIMESTAMP(3),
    "intentName" TEXT,
    "intentRunId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Placement" (
    "id" SERIAL NOT NULL,
    "mongoId" TEXT NOT NULL,
    "networkId" INTEGER NOT NULL,
    "campaignId" INTEGER NOT NULL,
    "advertisementId" INTEGER NOT NULL,
    "zoneId" INTEGER NOT NULL,
    "restrictions" JSONB NOT NULL,
    "createdLocally" BOOLEAN NOT NULL DEFAULT false,
    "syncedAt" TIMESTAMP(3),
    "removedAt" TIMESTAMP(3),
    "intentRunId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Placement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncRun" (
    "id" SERIAL NOT NULL,
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
    "heartbeatAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "SyncRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncEvent" (
    "id" SERIAL NOT NULL,
    "runId" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "phase" TEXT,
    "current" INTEGER NOT NULL,
    "total" INTEGER NOT NULL,
    "percentage" INTEGER NOT NULL,
    "message" TEXT NOT NULL,
    "errors" JSONB NOT NULL,
    "warnings" JSONB NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SyncEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncError" (
    "id" SERIAL NOT NULL,
    "runId" INTEGER NOT NULL,
    "entityType" TEXT,
    "mongoId" TEXT,
    "broadstreetId" INTEGER,
    "code" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "retryable" BOOLEAN NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SyncError_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncItem" (
    "id" SERIAL NOT NULL,
    "runId" INTEGER NOT NULL,
    "entityType" TEXT NOT NULL,
    "mongoId" TEXT NOT NULL,
    "name" TEXT,
    "resolvedName" TEXT,
    "outcome" TEXT NOT NULL,
    "broadstreetId" INTEGER,
    "message" TEXT,

    CONSTRAINT "SyncItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Network_mongoId_key" ON "Network"("mongoId");

-- CreateIndex
CREATE UNIQUE INDEX "Network_broadstreetId_key" ON "Network"("broadstreetId");

-- CreateIndex
CREATE UNIQUE INDEX "Advertiser_mongoId_key" ON "Advertiser"("mongoId");

-- CreateIndex
CREATE INDEX "Advertiser_networkId_name_id_idx" ON "Advertiser"("networkId", "name", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Advertiser_networkId_broadstreetId_key" ON "Advertiser"("networkId", "broadstreetId");

-- CreateIndex
CREATE UNIQUE INDEX "Zone_mongoId_key" ON "Zone"("mongoId");

-- CreateIndex
CREATE INDEX "Zone_networkId_name_id_idx" ON "Zone"("networkId", "name", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Zone_networkId_broadstreetId_key" ON "Zone"("networkId", "broadstreetId");

-- CreateIndex
CREATE UNIQUE INDEX "Advertisement_mongoId_key" ON "Advertisement"("mongoId");

-- CreateIndex
CREATE INDEX "Advertisement_advertiserId_id_idx" ON "Advertisement"("advertiserId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Advertisement_networkId_broadstreetId_key" ON "Advertisement"("networkId", "broadstreetId");

-- CreateIndex
CREATE UNIQUE INDEX "Campaign_mongoId_key" ON "Campaign"("mongoId");

-- CreateIndex
CREATE INDEX "Campaign_advertiserId_id_idx" ON "Campaign"("advertiserId", "id");

-- CreateIndex
CREATE INDEX "Campaign_networkId_name_id_idx" ON "Campaign"("networkId", "name", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Campaign_networkId_broadstreetId_key" ON "Campaign"("networkId", "broadstreetId");

-- CreateIndex
CREATE UNIQUE INDEX "Placement_mongoId_key" ON "Placement"("mongoId");

-- CreateIndex
CREATE INDEX "Placement_networkId_id_idx" ON "Placement"("networkId", "id");

-- CreateIndex
CREATE INDEX "Placement_zoneId_id_idx" ON "Placement"("zoneId", "id");

-- CreateIndex
CREATE INDEX "Placement_advertisementId_idx" ON "Placement"("advertisementId");

-- CreateIndex
CREATE UNIQUE INDEX "Placement_campaignId_advertisementId_zoneId_key" ON "Placement"("campaignId", "advertisementId", "zoneId");

-- CreateIndex
CREATE UNIQUE INDEX "SyncRun_activeKey_key" ON "SyncRun"("activeKey");

-- CreateIndex
CREATE INDEX "SyncRun_networkId_id_idx" ON "SyncRun"("networkId", "id");

-- CreateIndex
CREATE INDEX "SyncRun_status_idx" ON "SyncRun"("status");

-- CreateIndex
CREATE UNIQUE INDEX "SyncEvent_runId_seq_key" ON "SyncEvent"("runId", "seq");

-- CreateIndex
CREATE INDEX "SyncError_runId_id_idx" ON "SyncError"("runId", "id");

-- CreateIndex
CREATE INDEX "SyncError_mongoId_id_idx" ON "SyncError"("mongoId", "id");

-- CreateIndex
CREATE INDEX "SyncItem_runId_id_idx" ON "SyncItem"("runId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "SyncItem_runId_mongoId_key" ON "SyncItem"("runId", "mongoId");

-- AddForeignKey
ALTER TABLE "Advertiser" ADD CONSTRAINT "Advertiser_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Zone" ADD CONSTRAINT "Zone_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Advertisement" ADD CONSTRAINT "Advertisement_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Advertisement" ADD CONSTRAINT "Advertisement_advertiserId_fkey" FOREIGN KEY ("advertiserId") REFERENCES "Advertiser"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_advertiserId_fkey" FOREIGN KEY ("advertiserId") REFERENCES "Advertiser"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Placement" ADD CONSTRAINT "Placement_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Placement" ADD CONSTRAINT "Placement_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Placement" ADD CONSTRAINT "Placement_advertisementId_fkey" FOREIGN KEY ("advertisementId") REFERENCES "Advertisement"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Placement" ADD CONSTRAINT "Placement_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncRun" ADD CONSTRAINT "SyncRun_retryOfId_fkey" FOREIGN KEY ("retryOfId") REFERENCES "SyncRun"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncEvent" ADD CONSTRAINT "SyncEvent_runId_fkey" FOREIGN KEY ("runId") REFERENCES "SyncRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncError" ADD CONSTRAINT "SyncError_runId_fkey" FOREIGN KEY ("runId") REFERENCES "SyncRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncItem" ADD CONSTRAINT "SyncItem_runId_fkey" FOREIGN KEY ("runId") REFERENCES "SyncRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;
