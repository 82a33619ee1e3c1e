import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';
import { APP_CONFIG, ApiEnv } from '@tiersight/config';

/** The EPCIS capture route: its own size limit (EPCIS_MAX_BYTES) for EPCIS 2.0 JSON and JSON-LD documents. */
const EPCIS_CAPTURE_PATH = /^\/v1\/epcis\/capture\/?(\?|$)/;

/**
 * JSON body parsing as a Nest middleware, so that parser failures (too large,
 * malformed, bad charset) reach the problem filter instead of Express's HTML page.
 * `application/json` and every `application/*+json` type (JSON-LD included) are read.
 */
@Injectable()
export class JsonBodyMiddleware implements NestMiddleware {
  private readonly parse: ReturnType<typeof express.json>;
  private readonly parseEpcis: ReturnType<typeof express.json>;

  constructor(@Inject(APP_CONFIG) config: ApiEnv) {
    const type = ['application/json', 'application/*+json'];
    this.parse = express.json({ limit: `${config.IMPORT_MAX_BODY_MB}mb`, strict: true, type });
    this.parseEpcis = express.json({ limit: config.EPCIS_MAX_BYTES, strict: true, type });
  }

  use(req: Request, res: Response, next: NextFunction): void {
    const parse = req.method === 'POST' && EPCIS_CAPTURE_PATH.test(req.originalUrl) ? this.parseEpcis : this.parse;
    parse(req, res, next);
  }
}
