import type { INestApplication } from '@nestjs/common';
import helmet from 'helmet';
import type { Server } from 'node:http';
import type { ApiEnv } from '@tiersight/config';

/**
 * The policy of every answer that sets none of its own (JSON, Swagger UI at
 * /docs, the queue board); the web pages under /app send a stricter one.
 * Swagger UI and the board style themselves inline and the board loads its
 * fonts over https, hence `style-src`/`font-src`; scripts only from the API itself.
 * No `upgrade-insecure-requests`: the API is often reached over plain HTTP
 * on a private network or behind a proxy that terminates TLS.
 */
const DIRECTIVES = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", 'https:', "'unsafe-inline'"],
  'font-src': ["'self'", 'https:', 'data:'],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/** Headers a browser-facing client may send and read cross-origin. */
const CORS_REQUEST_HEADERS = ['authorization', 'content-type', 'x-request-id'];
const CORS_EXPOSED_HEADERS = ['x-request-id', 'location', 'link', 'retry-after'];
const CORS_MAX_AGE_S = 600;

/**
 * Security headers on every answer, CORS only for the configured origins, and
 * the HTTP server's timeouts. Call before the routes are registered.
 */
export function hardenHttp(app: INestApplication, config: ApiEnv): void {
  app.use(helmet({ contentSecurityPolicy: { useDefaults: false, directives: DIRECTIVES } }));
  if (config.CORS_ORIGINS.length > 0) {
    app.enableCors({
      origin: [...config.CORS_ORIGINS],
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: CORS_REQUEST_HEADERS,
      exposedHeaders: CORS_EXPOSED_HEADERS,
      credentials: false,
      maxAge: CORS_MAX_AGE_S,
    });
  }
  const server = app.getHttpServer() as Server;
  server.requestTimeout = config.HTTP_REQUEST_TIMEOUT_MS;
  server.headersTimeout = config.HTTP_HEADERS_TIMEOUT_MS;
  server.keepAliveTimeout = config.HTTP_KEEP_ALIVE_TIMEOUT_MS;
}
