// Helpers the entity specs' two-way calls share.
import { BroadstreetError } from '../broadstreet/index.ts';
import type { RemoteTarget } from './spec.ts';

/** A GET that answers null for an entity Broadstreet no longer has (404). */
export async function orGone<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof BroadstreetError && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}

export function idOf(target: RemoteTarget): number {
  if (!('id' in target)) throw new Error('this entity type is identified by its id');
  return target.id;
}

export function tripleOf(target: RemoteTarget) {
  if (!('triple' in target)) throw new Error('placements are identified by their triple');
  return target.triple;
}
