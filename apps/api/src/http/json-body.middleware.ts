import { BadRequestException, Inject, Injectable, NestMiddleware } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { APP_CONFIG, ApiEnv } from '@tiersight/config';
import { nestedDeeperThan } from './json-depth';

/** The EPCIS capture route: its own size limit (EPCIS_MAX_BYTES) for EPCIS 2.0 JSON and JSON-LD documents. */
const EPCIS_CAPTURE_PATH = /^\/v1\/epcis\/capture\/?(\?|$)/;

/** Bulk writes (the graph import, telemetry packs, a supplier's sub-tier disclosure): IMPORT_MAX_BODY_MB. */
const BULK_PATHS = /^\/v1\/(graph\/import|telemetry|portal\/subtier)\/?(\?|$)/;

/** The graph import: its audit entry keeps the SHA-256 of the body's bytes as sent, taken while they are read. */
const IMPORT_PATH = /^\/v1\/graph\/import\/?(\?|$)/;

/** The SHA-256 (hex) of a request body's raw bytes, set by the parser on the graph import route. */
export type HashedBody = Request & { bodySha256?: string };

/** Backtest requests carry whole feed documents (as strings): IMPORT_MAX_BODY_MB, each document then within its feed limit. */
const BACKTESTS_PATH = /^\/v1\/backtests\/?(\?|$)/;

type Parser = ReturnType<typeof express.json>;

/** Deepest nesting of a body validated against a DTO: the validation pipe walks it recursively and would overflow the stack. */
const MAX_JSON_DEPTH = 64;

/**
 * JSON body parsing as a Nest middleware, so that parser failures (too large,
 * malformed, bad charset) reach the problem filter instead of Express's HTML page.
 * `application/json` and every `application/*+json` type (JSON-LD included) are read.
 * Every route has a limit: the bulk routes and backtests IMPORT_MAX_BODY_MB, EPCIS capture its own, every other BODY_MAX_KB.
 */
@Injectable()
export class JsonBodyMiddleware implements NestMiddleware {
  private readonly parse: Parser;
  private readonly parseBulk: Parser;
  private readonly parseImport: Parser;
  private readonly parseEpcis: Parser;
  private readonly parseLarge: Parser;

  constructor(@Inject(APP_CONFIG) config: ApiEnv) {
    const type = ['application/json', 'application/*+json'];
    this.parse = express.json({ limit: config.BODY_MAX_KB * 1024, strict: true, type });
    this.parseBulk = express.json({ limit: `${config.IMPORT_MAX_BODY_MB}mb`, strict: true, type });
    // Hashing the bytes as they arrive costs ~1 s per GB; serialising a parsed million-row body again costs several.
    this.parseImport = express.json({
      limit: `${config.IMPORT_MAX_BODY_MB}mb`,
      strict: true,
      type,
      verify: (req, _res, buf) => {
        (req as HashedBody).bodySha256 = createHash('sha256').update(buf).digest('hex');
      },
    });
    this.parseEpcis = express.json({ limit: config.EPCIS_MAX_BYTES, strict: true, type });
    this.parseLarge = express.json({ limit: `${config.IMPORT_MAX_BODY_MB}mb`, strict: true, type });
  }

  use(req: Request, res: Response, next: NextFunction): void {
    const parse = this.parserOf(req);
    // The bulk and EPCIS routes check their documents by hand, without recursion; every other body meets the validation pipe.
    if (parse === this.parseBulk || parse === this.parseImport || parse === this.parseEpcis) parse(req, res, next);
    else parse(req, res, (error?: unknown) => next(error ?? (nestedDeeperThan(req.body, MAX_JSON_DEPTH) ? tooDeep() : undefined)));
  }

  private parserOf(req: Request): Parser {
    if (req.method !== 'POST') return this.parse;
    if (EPCIS_CAPTURE_PATH.test(req.originalUrl)) return this.parseEpcis;
    if (BACKTESTS_PATH.test(req.originalUrl)) return this.parseLarge;
    if (IMPORT_PATH.test(req.originalUrl)) return this.parseImport;
    return BULK_PATHS.test(req.originalUrl) ? this.parseBulk : this.parse;
  }
}

const tooDeep = () =>
  new BadRequestException({ message: `the JSON body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`, error: 'Body nested too deeply' });
