export const root: string;
export const sqliteSchemaPath: string;
export const postgresSchemaPath: string;
export function postgresSchemaFrom(sqliteSchema: string): string;
export function expectedPostgresSchema(): string;
