// Prisma CLI configuration. The provider follows DATABASE_URL: the SQLite schema
// (prisma/schema.prisma, migrations in prisma/migrations) by default, the
// PostgreSQL one (prisma/postgres/) for postgresql:// URLs. The CLI runs its
// JavaScript schema engine through a driver adapter, so nothing is downloaded.
import { defineConfig } from 'prisma/config';
import { DEFAULT_DATABASE_URL, parseDatabaseUrl } from './src/db/url.ts';

const target = parseDatabaseUrl(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
process.env.DATABASE_URL ||= DEFAULT_DATABASE_URL;

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: target.provider === 'sqlite' ? 'prisma/schema.prisma' : 'prisma/postgres/schema.prisma',
  async adapter() {
    if (target.provider === 'sqlite') {
      const { PrismaBetterSQLite3 } = await import('@prisma/adapter-better-sqlite3');
      return new PrismaBetterSQLite3({ url: target.file });
    }
    // adapter-pg 7.x maps PostgreSQL's `name` type, which migrate deploy reads
    // from the catalogue; the 6.19 adapter cannot (see PLATFORM-NOTES.md).
    const { PrismaPg } = await import('adapter-pg-cli');
    return new PrismaPg(
      // A short idle timeout lets the CLI exit as soon as it is done.
      { connectionString: target.connectionString, idleTimeoutMillis: 50 },
      { schema: target.schema },
    );
  },
});
