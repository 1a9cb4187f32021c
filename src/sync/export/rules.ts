// The business rules re-checked before export, per entity type.
import type { EntityType } from '../../domain/enums.ts';
import { isCalendarDate } from '../../graphql/scalars.ts';

type Row = Record<string, unknown>;

/** Problems that keep a stored row from being exported, in words. */
export function problemsOf(type: EntityType, row: Row): string[] {
  const problems: string[] = [];
  if ('name' in row && (typeof row.name !== 'string' || row.name.trim() === '')) problems.push('name is empty');
  if (type === 'CAMPAIGN') {
    for (const field of ['startDate', 'endDate'] as const) {
      const value = row[field];
      if (value != null && (typeof value !== 'string' || !isCalendarDate(value))) problems.push(`${field} is not a date`);
    }
    if (typeof row.startDate === 'string' && typeof row.endDate === 'string' && row.endDate < row.startDate) {
      problems.push('endDate is before startDate');
    }
    if (typeof row.weight !== 'number' || !(row.weight > 0)) problems.push('weight is not a positive number');
  }
  return problems;
}
