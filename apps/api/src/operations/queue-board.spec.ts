import { ForbiddenException, HttpException, UnauthorizedException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Caller } from '@tiersight/access';
import { BOARD_CHALLENGE, boardCaller, boardGuard, KeyResolver, presentedKey } from './queue-board';

const ADMIN = 'tsk_admin-key-0123456789';
const ANALYST = 'tsk_analyst-key-0123456789';
const REVOKED = 'tsk_revoked-key-0123456789';

/** A key table standing for the key store: the real one is exercised by the e2e test. */
const keys: KeyResolver = {
  authenticate: (token: string) =>
    Promise.resolve<Caller | null>(
      token === ADMIN
        ? { keyId: 'key_admin', role: 'admin', supplierId: null }
        : token === ANALYST
          ? { keyId: 'key_analyst', role: 'analyst', supplierId: null }
          : null,
    ),
};

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function refusal(header: string | undefined, authDisabled = false): Promise<HttpException | null> {
  try {
    await boardCaller(header, keys, authDisabled);
    return null;
  } catch (error) {
    return error as HttpException;
  }
}

describe('queue board guard', () => {
  it('reads the key from Bearer or from the Basic password, whatever the user name', () => {
    expect(presentedKey(`Bearer ${ADMIN}`)).toBe(ADMIN);
    expect(presentedKey(`bearer  ${ADMIN} `)).toBe(ADMIN);
    expect(presentedKey(basic('admin', ADMIN))).toBe(ADMIN);
    expect(presentedKey(basic('', ADMIN))).toBe(ADMIN);
    expect(presentedKey(basic('anyone', 'with:colon'))).toBe('with:colon');
    for (const bad of [
      undefined,
      '',
      'Bearer',
      'Bearer a b',
      `Token ${ADMIN}`,
      'Basic !!!',
      basic('admin', ''),
      `Basic ${Buffer.from(ADMIN).toString('base64')}`,
    ]) {
      expect(presentedKey(bad)).toBeNull();
    }
    expect(presentedKey(`Bearer ${'x'.repeat(513)}`)).toBeNull();
  });

  it('admits an admin key by Bearer or Basic', async () => {
    await expect(boardCaller(`Bearer ${ADMIN}`, keys, false)).resolves.toMatchObject({ role: 'admin' });
    await expect(boardCaller(basic('ops', ADMIN), keys, false)).resolves.toMatchObject({ keyId: 'key_admin' });
  });

  it('answers 401 without a usable key, 401 for an unknown or revoked one, 403 for another role', async () => {
    for (const header of [undefined, '', 'Basic', basic('admin', 'short')]) {
      expect(await refusal(header)).toBeInstanceOf(UnauthorizedException);
    }
    const revoked = await refusal(basic('admin', REVOKED));
    expect(revoked).toBeInstanceOf(UnauthorizedException);
    expect(revoked?.message).toMatch(/unknown or revoked/);
    expect(await refusal(`Bearer ${ANALYST}`)).toBeInstanceOf(ForbiddenException);
    expect(await refusal(basic('analyst', ANALYST))).toBeInstanceOf(ForbiddenException);
  });

  it('is never open without AUTH_DISABLED, and AUTH_DISABLED opens it only to requests without a key', async () => {
    expect(await refusal(undefined, false)).toBeInstanceOf(UnauthorizedException);
    expect(await refusal(undefined, true)).toBeNull();
    // A key that is presented is always checked.
    expect(await refusal(`Bearer ${REVOKED}`, true)).toBeInstanceOf(UnauthorizedException);
    expect(await refusal(`Bearer ${ANALYST}`, true)).toBeInstanceOf(ForbiddenException);
  });

  describe('as Express middleware', () => {
    const run = async (header: string | undefined, config: { AUTH_DISABLED: boolean; NODE_ENV: string }) => {
      const headers: Record<string, string> = {};
      const res = { setHeader: (name: string, value: string) => (headers[name] = value) } as unknown as Response;
      const req = { headers: header === undefined ? {} : { authorization: header } } as unknown as Request;
      const passed = await new Promise<unknown>((resolve) => {
        const next: NextFunction = (error?: unknown) => resolve(error ?? 'next');
        boardGuard(keys, config)(req, res, next);
      });
      return { passed, headers };
    };

    it('passes an admin on, and a refusal to the problem filter with a Basic challenge on 401', async () => {
      expect((await run(basic('ops', ADMIN), { AUTH_DISABLED: false, NODE_ENV: 'production' })).passed).toBe('next');
      const none = await run(undefined, { AUTH_DISABLED: false, NODE_ENV: 'development' });
      expect(none.passed).toBeInstanceOf(UnauthorizedException);
      expect(none.headers['WWW-Authenticate']).toBe(BOARD_CHALLENGE);
      const analyst = await run(`Bearer ${ANALYST}`, { AUTH_DISABLED: false, NODE_ENV: 'development' });
      expect(analyst.passed).toBeInstanceOf(ForbiddenException);
      expect(analyst.headers['WWW-Authenticate']).toBeUndefined();
    });

    it('ignores AUTH_DISABLED in production', async () => {
      expect((await run(undefined, { AUTH_DISABLED: true, NODE_ENV: 'development' })).passed).toBe('next');
      expect((await run(undefined, { AUTH_DISABLED: true, NODE_ENV: 'production' })).passed).toBeInstanceOf(UnauthorizedException);
    });
  });
});
