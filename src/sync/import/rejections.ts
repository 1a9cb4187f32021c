// Items of a Broadstreet list that could not be read fail one by one.
import type { RejectedItem } from '../../broadstreet/index.ts';
import type { EntityType } from '../../domain/enums.ts';
import type { RunContext } from '../context.ts';
import { rejectedItemError } from '../failures.ts';

/**
 * Collects the items of one list that could not be read: each fails alone
 * (VALIDATION, naming it and its fields) and is recorded at once; their ids
 * keep the rows they name from being taken for removed.
 */
export function rejections(ctx: RunContext, type: EntityType) {
  const ids: number[] = [];
  return {
    ids,
    add: (item: RejectedItem) => {
      if (item.id !== null) ids.push(item.id);
      ctx.progress.count(type, 'failed');
      ctx.progress.error(rejectedItemError(type, item));
    },
  };
}
