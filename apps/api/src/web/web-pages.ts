import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Application, NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';

/** Where the pages are served; everything else (/v1, /docs, /health, /metrics, /admin) is untouched. */
export const WEB_PREFIX = '/app';

/**
 * The pages carry no data: they are static files that call /v1 with the key
 * the person signs in with, so they are public like /docs. Nothing here may
 * read the graph or bypass the API's guard and masking.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** dist/web beside the API bundle (dist/apps/api/main.js), else under the working directory (tests, ts-node). */
export function webRoot(): string | null {
  const candidates = [join(__dirname, '..', '..', 'web'), join(process.cwd(), 'dist', 'web')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

/** Mounts the built pages at /app/ and sends / there; call before the app is initialised so the routes come first. */
export function serveWebPages(app: INestApplication, logger: Logger): void {
  const root = webRoot();
  const http = app as NestExpressApplication;
  http.use(WEB_PREFIX, (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    if (!root && (req.method === 'GET' || req.method === 'HEAD')) {
      res.status(503).type('text/plain').send('The web pages are not built: run `npm run build:web`.\n');
      return;
    }
    next();
  });
  (http.getHttpAdapter().getInstance() as Application).get('/', (_req: Request, res: Response) => res.redirect(302, `${WEB_PREFIX}/`));
  if (!root) {
    logger.warn('web pages not built (no dist/web/index.html): /app answers 503 until `npm run build:web` runs');
    return;
  }
  http.useStaticAssets(root, {
    prefix: WEB_PREFIX,
    index: 'index.html',
    redirect: true,
    fallthrough: true,
    setHeaders: (res, path) => {
      // File names under assets/ carry a content hash; index.html must be asked for again.
      res.setHeader('cache-control', path.includes(`${join('web', 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  logger.info({ root, path: `${WEB_PREFIX}/` }, 'web pages served');
}
