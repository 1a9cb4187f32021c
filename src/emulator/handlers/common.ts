// Shared pieces of the Broadstreet route handlers: replies, parameter readers
// and Rails-style field validation (422 {"errors":{"field":"message"}}).
import type { EntityKind } from '../model.ts';
import type { Params } from '../params.ts';
import type { EmulatorStore } from '../store.ts';

export interface Reply {
  status: number;
  /** JSON value to send; undefined sends an empty body. */
  body?: unknown;
}

export interface HandlerContext {
  store: EmulatorStore;
  params: Params;
  /** The numeric id from the path, when the route has one. */
  id?: number;
  /** Counts an entity created through the API. */
  created(kind: EntityKind): void;
  /** Networks outside the token's access: refused (403) by id, and not in the account's network list [live]. */
  hiddenNetworkIds?: readonly number[];
}

export type Handler = (ctx: HandlerContext) => Reply;

/** Thrown by helpers to answer early with an error status. */
export class HttpReply extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

export const notFound = () => new HttpReply(404, { message: 'Not Found' });
export const badRequest = (message: string) => new HttpReply(400, { message });

export function found<T>(value: T | undefined): T {
  if (value === undefined) throw notFound();
  return value;
}

/** A required id parameter: missing or not an integer is a refused request (400). */
export function requireId(params: Params, name: string): number {
  const id = optionalId(params, name);
  if (id === undefined) throw badRequest(`${name} is required`);
  return id;
}

export function optionalId(params: Params, name: string): number | undefined {
  const raw = params[name];
  if (raw === undefined || raw === null || raw === '') return undefined;
  const id = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id) || id <= 0) throw badRequest(`${name} must be an integer id`);
  return id;
}

/** Collects field problems and answers 422 with all of them at once. */
export class FieldErrors {
  readonly errors: Record<string, string> = {};
  add(field: string, message: string): void {
    this.errors[field] ??= message;
  }
  throwIfAny(): void {
    if (Object.keys(this.errors).length > 0) throw new HttpReply(422, { errors: this.errors });
  }
}

export function has(params: Params, name: string): boolean {
  return params[name] !== undefined;
}

/** A free-text field: strings as given, numbers stringified, empty and null become null. */
export function text(params: Params, name: string, errors: FieldErrors): string | null {
  const raw = params[name];
  if (raw === undefined || raw === null || raw === '') return null;
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number') return String(raw);
  errors.add(name, 'must be a string');
  return null;
}

/** A name that must not be blank. */
export function requiredName(params: Params, name: string, errors: FieldErrors): string {
  const value = text(params, name, errors);
  if (value === null || value.trim() === '') errors.add(name, "can't be blank");
  return value ?? '';
}

export function bool(params: Params, name: string, errors: FieldErrors): boolean | undefined {
  const raw = params[name];
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw === 'boolean') return raw;
  const s = String(raw).toLowerCase();
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0') return false;
  errors.add(name, 'is not a boolean');
  return undefined;
}
