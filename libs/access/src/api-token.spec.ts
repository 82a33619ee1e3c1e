import { bearerToken, newKeyId, newToken, TOKEN_PREFIX, tokenHash } from './api-token';

describe('API tokens', () => {
  it('are long, random and prefixed', () => {
    const a = newToken();
    expect(a.startsWith(TOKEN_PREFIX)).toBe(true);
    expect(a.length).toBe(TOKEN_PREFIX.length + 43);
    expect(newToken()).not.toBe(a);
    expect(newKeyId()).toMatch(/^key_[A-Za-z0-9_-]{12}$/);
  });

  it('are stored as their SHA-256', () => {
    expect(tokenHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('are read from a Bearer header only', () => {
    expect(bearerToken('Bearer tsk_abc')).toBe('tsk_abc');
    expect(bearerToken('bearer  tsk_abc ')).toBe('tsk_abc');
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeNull();
    expect(bearerToken('Bearer ')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
    expect(bearerToken(['Bearer x'])).toBeNull();
  });
});
