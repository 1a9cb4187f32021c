// Raw HTTP calls to a running emulator, for tests of the emulator itself.
import type { RunningEmulator } from '../../src/emulator/index.ts';

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export interface RawCall {
  query?: Record<string, string | number>;
  json?: unknown;
  form?: Record<string, string>;
  multipart?: Record<string, string>;
  token?: string | null;
}

export async function raw(emu: RunningEmulator, method: string, path: string, call: RawCall = {}): Promise<RawResponse> {
  const url = new URL(emu.url + path);
  for (const [k, v] of Object.entries(call.query ?? {})) url.searchParams.set(k, String(v));
  const token = call.token === undefined ? emu.config.token : call.token;
  if (token !== null) url.searchParams.set('access_token', token);
  const init: RequestInit = { method };
  if (call.json !== undefined) (init.body = JSON.stringify(call.json)), (init.headers = { 'content-type': 'application/json' });
  if (call.form) init.body = new URLSearchParams(call.form);
  if (call.multipart) {
    const form = new FormData();
    for (const [k, v] of Object.entries(call.multipart)) form.append(k, v);
    init.body = form;
  }
  const response = await fetch(url, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** GET on the inspection API. */
export async function inspect(emu: RunningEmulator, path: string, init?: RequestInit): Promise<any> {
  const response = await fetch(`${emu.origin}/__emulator${path}`, init);
  return response.json();
}

export function postJson(body: unknown): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
