// Runs once per test run: migrates one template database per provider, so
// each test file can start from a copy in milliseconds.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { localMigrations, runMigrateDeploy } from '../../src/db/migrate.ts';
import { parseDatabaseUrl } from '../../src/db/url.ts';
import { adminQuery, postgresReachable, postgresUrl } from './postgres.ts';

export const TMP = path.resolve('.tmp/test');

export default async function setup(project: TestProject) {
  mkdirSync(TMP, { recursive: true });
  const provider = project.config.env?.TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';
  if (provider === 'sqlite') {
    const template = path.join(TMP, `template-${process.pid}.db`);
    rmSync(template, { force: true });
    await runMigrateDeploy(parseDatabaseUrl(`file:${template}`));
    project.provide('sqliteTemplate', template);
    return () => rmSync(template, { force: true });
  }
  const unreachable = await postgresReachable();
  if (unreachable) {
    if (process.env.CI === 'true') throw new Error(`${unreachable}; CI=true requires it`);
    project.provide('postgresTemplate', '');
    project.provide('postgresSkipReason', unreachable);
    return;
  }
  const name = `broadsync_tpl_${localMigrations('postgresql').length}_${process.pid}`;
  await adminQuery(`DROP DATABASE IF EXISTS ${name}`);
  await adminQuery(`CREATE DATABASE ${name}`);
  await runMigrateDeploy(parseDatabaseUrl(postgresUrl(name)));
  project.provide('postgresTemplate', name);
  project.provide('postgresSkipReason', '');
  return async () => {
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    sqliteTemplate: string;
    postgresTemplate: string;
    postgresSkipReason: string;
  }
}
