import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import pinoHttp, { HttpLogger } from 'pino-http';
import type { Logger } from 'pino';
import { LOGGER, Metrics } from '@tiersight/observability';

const QUIET_PATHS = /^\/(health|metrics)/;
const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;
/** Marks a request already given its id and log line (the queue board runs this middleware ahead of the API's chain). */
const IN_CONTEXT = Symbol('request-context');

/** Request id (from X-Request-Id or new), one structured log line per request, and the latency histogram. */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  private readonly http: HttpLogger<IncomingMessage, ServerResponse>;

  constructor(
    @Inject(LOGGER) logger: Logger,
    private readonly metrics: Metrics,
  ) {
    this.http = pinoHttp({
      logger,
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.test(req.url ?? '') },
      customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    });
  }

  use(req: Request & { [IN_CONTEXT]?: true }, res: Response, next: NextFunction): void {
    if (req[IN_CONTEXT]) return next();
    req[IN_CONTEXT] = true;
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = (req.route?.path as string | undefined) ?? 'unmatched';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.metrics.httpRequestDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
    });
    this.http(req, res, next);
  }
}
