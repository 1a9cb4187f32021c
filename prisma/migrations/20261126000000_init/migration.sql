-- CreateTable
CREATE TABLE "Network" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "mongoId" TEXT NOT NULL,
    "broadstreetId" INTEGER,
    "name" TEXT NOT NULL,
    "groupId" INTEGER,
    "webHomeUrl" TEXT,
    "logoUrl" TEXT,
    "valetActive" BOOLEAN,
    "path" TEXT,
    "createdLocally" BOOLEAN NOT NULL DEFAULT false,
    "syncedAt" DATETIME,
    "removedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Advertiser" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "mongoId" TEXT NOT NULL,
    "broadstreetId" INTEGER,
    "networkId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "webHomeUrl" TEXT,
    "notes" TEXT,
    "logoUrl" TEXT,
    "admins" JSONB NOT NULL,
    "createdLocally" BOOLEAN NOT NULL DEFAULT false,
    "syncedAt" DATETIME,
    "removedAt" DATETIME,
    "intentName" TEXT,
    "intentRunId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Advertiser_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Zone" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "mongoId" TEXT NOT NULL,
    "broadstreetId" INTEGER,
    "networkId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "alias" TEXT,
    "selfServe" BOOLEAN NOT NULL DEFAULT false,
    "displaySettings" JSONB,
    "createdLocally" BOOLEAN NOT NULL DEFAULT false,
    "syncedAt" DATETIME,
    "removedAt" DATETIME,
    "intentName" TEXT,
    "intentRunId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Zone_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Advertisement" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "mongoId" TEXT NOT NULL,
    "broadstreetId" INTEGER,
    "networkId" INTEGER NOT NULL,
    "advertiserId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT,
    "previewUrl" TEXT,
    "activeUrl" TEXT,
    "remoteUpdatedAt" DATETIME,
    "createdLocally" BOOLEAN NOT NULL DEFAULT false,
    "syncedAt" DATETIME,
    "removedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Advertisement_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Advertisement_advertiserId_fkey" FOREIGN KEY ("advertiserId") REFERENCES "Advertiser" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Campaign" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "mongoId" TEXT NOT NULL,
    "broadstreetId" INTEGER,
    "networkId" INTEGER NOT NULL,
    "advertiserId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "startDate" TEXT,
    "endDate" TEXT,
    "weight" REAL NOT NULL DEFAULT 1,
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
    "syncedAt" DATETIME,
    "removedAt" DATETIME,
    "intentName" TEXT,
    "intentRunId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Campaign_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Campaign_advertiserId_fkey" FOREIGN KEY ("advertiserId") REFERENCES "Advertiser" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Placement" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "mongoId" TEXT NOT NULL,
    "networkId" INTEGER NOT NULL,
    "campaignId" INTEGER NOT NULL,
    "advertisementId" INTEGER NOT NULL,
    "zoneId" INTEGER NOT NULL,
    "restrictions" JSONB NOT NULL,
    "createdLocally" BOOLEAN NOT NULL DEFAULT false,
    "syncedAt" DATETIME,
    "removedAt" DATETIME,
    "intentRunId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Placement_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Placement_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Placement_advertisementId_fkey" FOREIGN KEY ("advertisementId") REFERENCES "Advertisement" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Placement_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SyncRun" (
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    CONSTRAINT "SyncRun_retryOfId_fkey" FOREIGN KEY ("retryOfId") REFERENCES "SyncRun" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SyncEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
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
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SyncEvent_runId_fkey" FOREIGN KEY ("runId") REFERENCES "SyncRun" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SyncError" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "runId" INTEGER NOT NULL,
    "entityType" TEXT,
    "mongoId" TEXT,
    "broadstreetId" INTEGER,
    "code" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "retryable" BOOLEAN NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SyncError_runId_fkey" FOREIGN KEY ("runId") REFERENCES "SyncRun" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SyncItem" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "runId" INTEGER NOT NULL,
    "entityType" TEXT NOT NULL,
    "mongoId" TEXT NOT NULL,
    "name" TEXT,
    "resolvedName" TEXT,
    "outcome" TEXT NOT NULL,
    "broadstreetId" INTEGER,
    "message" TEXT,
    CONSTRAINT "SyncItem_runId_fkey" FOREIGN KEY ("runId") REFERENCES "SyncRun" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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
