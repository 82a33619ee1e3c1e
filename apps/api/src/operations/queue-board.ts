import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardModule } from '@bull-board/nestjs';
import type { DynamicModule } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, ApiEnv } from '@tiersight/config';
import { QUEUES } from '@tiersight/queues';

export const QUEUE_BOARD_ROUTE = '/admin/queues';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The admin key from `Authorization: Bearer <key>` or, for a browser, Basic auth with the key as password. */
function presentedKey(req: Request): string | null {
  const header = req.headers.authorization ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (!basic) return null;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 ? decoded.slice(colon + 1) : null;
}

/** Only the admin sees the board; without ADMIN_API_KEY (local development) it is open like the rest of the API. */
export function boardGuard(adminKey: string | undefined) {
  const expected = adminKey ? digest(adminKey) : null;
  return (req: Request, res: Response, next: NextFunction) => {
    if (!expected) return next();
    const key = presentedKey(req);
    if (key && timingSafeEqual(digest(key), expected)) return next();
    res.status(401).setHeader('WWW-Authenticate', 'Basic realm="Tiersight queues", charset="UTF-8"');
    res.type('application/problem+json').send(
      JSON.stringify({
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        detail: 'the queue board needs the admin API key (Basic auth password or Bearer token)',
      }),
    );
  };
}

/** The BullMQ dashboard (bull-board) over every queue, mounted at /admin/queues for admins. */
export function queueBoardModules(): DynamicModule[] {
  return [
    BullBoardModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: ApiEnv) => ({ route: QUEUE_BOARD_ROUTE, adapter: ExpressAdapter, middleware: boardGuard(config.ADMIN_API_KEY) }),
    }),
    ...Object.values(QUEUES).map((name) => BullBoardModule.forFeature({ name, adapter: BullMQAdapter })),
  ];
}
