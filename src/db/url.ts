// Which database a DATABASE_URL names. Shared by the runtime and prisma.config.ts.
import path from 'node:path';

export const DEFAULT_DATABASE_URL = 'file:./data/broadsync.db';

export type DatabaseTarget =
  | { provider: 'sqlite'; url: string; file: string }
  | { provider: 'postgresql'; url: string; connectionString: string; schema: string | undefined };

export class DatabaseUrlError extends Error {
  override name = 'DatabaseUrlError';
}

export function parseDatabaseUrl(url: string = DEFAULT_DATABASE_URL): DatabaseTarget {
  if (url.startsWith('file:')) {
    const file = url.slice('file:'.length).replace(/\?.*$/, '');
    if (!file) throw new DatabaseUrlError('DATABASE_URL "file:" names no file');
    return { provider: 'sqlite', url, file: file === ':memory:' ? file : path.resolve(file) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new DatabaseUrlError('DATABASE_URL is not a valid postgresql:// URL');
    }
    const schema = parsed.searchParams.get('schema') ?? undefined;
    parsed.searchParams.delete('schema');
    return { provider: 'postgresql', url, connectionString: parsed.toString(), schema };
  }
  throw new DatabaseUrlError('DATABASE_URL must start with "file:" (SQLite) or "postgresql://" (PostgreSQL)');
}

/** The URL with any password replaced, for messages and logs. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/\/\/([^:/@]*):([^@]*)@/, '//$1:***@');
}
