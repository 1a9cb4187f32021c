// The token rules on their own: which scope a presented token grants.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { bearerToken, createAccessControl } from '../../src/http/auth.ts';

const tokens = (raw: string) => loadConfig({ API_TOKENS: raw }).API_TOKENS;

describe('access control', () => {
  it('grants the configured scope to an exact token, nothing to anything else', () => {
    const access = createAccessControl(tokens('reader-1:read, writer-2:write'));
    expect(access.guarded).toBe(true);
    expect(access.scopeOf('reader-1')).toBe('read');
    expect(access.scopeOf('writer-2')).toBe('write');
    for (const wrong of [undefined, '', 'reader-', 'reader-12', 'READER-1', ' reader-1', 'writer-2:write']) {
      expect(access.scopeOf(wrong), String(wrong)).toBeNull();
    }
  });

  it('grants write when one token is listed with both scopes; tokens may contain colons', () => {
    expect(createAccessControl(tokens('same:read,same:write')).scopeOf('same')).toBe('write');
    expect(createAccessControl(tokens('a:b:c:read')).scopeOf('a:b:c')).toBe('read');
  });

  it('is open (write) when no tokens are configured', () => {
    const access = createAccessControl(undefined);
    expect(access.guarded).toBe(false);
    expect(access.scopeOf(undefined)).toBe('write');
  });

  it('reads bearer tokens from header values', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer   abc ')).toBe('abc');
    for (const value of ['abc', 'Basic abc', 'Bearer', 'Bearer a b', undefined, 42])
      expect(bearerToken(value), String(value)).toBeUndefined();
  });
});
