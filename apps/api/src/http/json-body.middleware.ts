import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';
import { APP_CONFIG, ApiEnv } from '@tiersight/config';

/**
 * JSON body parsing as a Nest middleware, so that parser failures (too large,
 * malformed, bad charset) reach the problem filter instead of Express's HTML page.
 */
@Injectable()
export class JsonBodyMiddleware implements NestMiddleware {
  private readonly parse: ReturnType<typeof express.json>;

  constructor(@Inject(APP_CONFIG) config: ApiEnv) {
    this.parse = express.json({ limit: `${config.IMPORT_MAX_BODY_MB}mb`, strict: true, type: ['application/json', 'application/*+json'] });
  }

  use(req: Request, res: Response, next: NextFunction): void {
    this.parse(req, res, next);
  }
}
