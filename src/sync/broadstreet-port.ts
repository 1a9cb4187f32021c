// The part of the Broadstreet client the sync engine uses (src/broadstreet).
export type { BroadstreetClient as BroadstreetApi } from '../broadstreet/index.ts';
