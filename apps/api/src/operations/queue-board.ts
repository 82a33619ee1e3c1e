import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardModule } from '@bull-board/nestjs';
import { DynamicModule, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ApiKeyService, Caller, KeysModule } from '@tiersight/access';
import { APP_CONFIG, ApiEnv } from '@tiersight/config';
import { QUEUES } from '@tiersight/queues';
import { JsonBodyMiddleware } from '../http/json-body.middleware';
import { RequestContextMiddleware } from '../http/request-context.middleware';

export const QUEUE_BOARD_ROUTE = '/admin/queues';

/** What the board asks a browser for when it has no key: the key as the Basic auth password. */
export const BOARD_CHALLENGE = 'Basic realm="Tiersight queues", charset="UTF-8"';

const TOKEN = /^[\x21-\x7e]{1,512}$/;

/** The key from `Authorization: Bearer <key>` or, for a browser, Basic auth with the key as password (any user name). */
export function presentedKey(header: string | undefined): string | null {
  if (!header) return null;
  const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  if (bearer) return TOKEN.test(bearer[1]) ? bearer[1] : null;
  const basic = /^Basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i.exec(header);
  if (!basic) return null;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const key = colon >= 0 ? decoded.slice(colon + 1) : '';
  return TOKEN.test(key) ? key : null;
}

/** Resolves a presented key to its caller (null when unknown or revoked): the API's own key store. */
export type KeyResolver = Pick<ApiKeyService, 'authenticate'>;

/**
 * Who may open the board: an active admin key (or ADMIN_API_KEY), exactly as
 * the API guard decides for admin routes. 401 for no, an unusable, an unknown
 * or a revoked key; 403 for a key of another role. With AUTH_DISABLED (local
 * development, refused in production) a request without a key is an admin,
 * as it is on /v1.
 */
export async function boardCaller(header: string | undefined, keys: KeyResolver, authDisabled: boolean): Promise<Caller | null> {
  if (!header && authDisabled) return null;
  const key = presentedKey(header);
  if (!key) throw new UnauthorizedException('the queue board needs an admin API key: Basic auth with the key as password, or Authorization: Bearer <key>');
  const caller = await keys.authenticate(key);
  if (!caller) throw new UnauthorizedException('the API key is unknown or revoked');
  if (caller.role !== 'admin') throw new ForbiddenException('the queue board is for admin keys');
  return caller;
}

/** The board's Express guard: errors go on to the problem filter, a 401 with a Basic challenge so a browser asks for the key. */
export function boardGuard(keys: KeyResolver, config: Pick<ApiEnv, 'AUTH_DISABLED' | 'NODE_ENV'>) {
  const authDisabled = config.AUTH_DISABLED && config.NODE_ENV !== 'production';
  return (req: Request, res: Response, next: NextFunction): void => {
    boardCaller(req.headers.authorization, keys, authDisabled).then(
      () => next(),
      (error: unknown) => {
        if (error instanceof UnauthorizedException) res.setHeader('WWW-Authenticate', BOARD_CHALLENGE);
        next(error);
      },
    );
  };
}

/**
 * The BullMQ dashboard (bull-board) over every queue, mounted at /admin/queues for admins.
 * Its router answers before the API's own middleware would run, so it gets the
 * request id and log line, the guard, then the body limit, in that order, itself.
 */
export function queueBoardModules(): DynamicModule[] {
  return [
    BullBoardModule.forRootAsync({
      imports: [KeysModule],
      inject: [APP_CONFIG, ApiKeyService],
      useFactory: (config: ApiEnv, keys: ApiKeyService) => ({
        route: QUEUE_BOARD_ROUTE,
        adapter: ExpressAdapter,
        middleware: [RequestContextMiddleware, boardGuard(keys, config), JsonBodyMiddleware],
      }),
    }),
    ...Object.values(QUEUES).map((name) => BullBoardModule.forFeature({ name, adapter: BullMQAdapter })),
  ];
}
