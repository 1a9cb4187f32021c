// Request parameters as Broadstreet reads them: query string and body merged
// (the body wins), the body being JSON, form-urlencoded or multipart.

export type Params = Record<string, unknown>;

export class BadRequest extends Error {}

export async function readParams(query: URLSearchParams, contentType: string, body: Uint8Array): Promise<Params> {
  return { ...formToParams(query), ...(await bodyParams(contentType, body)) };
}

async function bodyParams(contentType: string, body: Uint8Array): Promise<Params> {
  if (body.length === 0) return {};
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) return jsonParams(body);
  if (type === 'application/x-www-form-urlencoded') return formToParams(new URLSearchParams(new TextDecoder().decode(body)));
  if (type === 'multipart/form-data') {
    // undici's multipart parser, through the Fetch API's Response.
    const form = await new Response(Buffer.from(body), { headers: { 'content-type': contentType } }).formData().catch(() => {
      throw new BadRequest('Malformed multipart body');
    });
    return formToParams(form as unknown as Iterable<[string, unknown]>);
  }
  return {};
}

function jsonParams(body: Uint8Array): Params {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw new BadRequest('Malformed JSON body');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new BadRequest('JSON body must be an object');
  return parsed as Params;
}

/** Repeated keys and `key[]` become arrays, as Rails reads them; files are ignored. */
function formToParams(entries: Iterable<[string, unknown]>): Params {
  const out: Params = {};
  for (const [rawKey, value] of entries) {
    if (typeof value !== 'string') continue;
    const isArray = rawKey.endsWith('[]');
    const key = isArray ? rawKey.slice(0, -2) : rawKey;
    if (isArray) out[key] = [...((out[key] as string[] | undefined) ?? []), value];
    else out[key] = value;
  }
  return out;
}
