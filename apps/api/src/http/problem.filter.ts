import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Inject } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { InvalidCursorError } from '@tiersight/graph';
import { LOGGER } from '@tiersight/observability';
import { isRedisUnavailable } from '@tiersight/queues';
import { domainProblem, isDomainError } from './domain-problems';
import { Problem, problemType, sendProblem } from './problem';

/** Errors raised by Express's body parser before a route runs (they carry `type` and `status`). */
const BODY_PARSER_ERRORS: Record<string, { status: number; slug: string; title: string }> = {
  'entity.too.large': { status: 413, slug: 'body-too-large', title: 'Request body too large' },
  'entity.parse.failed': { status: 400, slug: 'malformed-json', title: 'Malformed JSON body' },
  'encoding.unsupported': { status: 415, slug: 'unsupported-encoding', title: 'Unsupported content encoding' },
  'charset.unsupported': { status: 415, slug: 'unsupported-charset', title: 'Unsupported charset' },
  'request.aborted': { status: 400, slug: 'request-aborted', title: 'Request aborted' },
  'entity.verify.failed': { status: 400, slug: 'malformed-body', title: 'Malformed body' },
  'parameters.too.many': { status: 413, slug: 'too-many-parameters', title: 'Too many parameters' },
};

/**
 * The one place errors become HTTP answers: always application/problem+json;
 * a 5xx hides internals behind an error id that is logged.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { id?: string }>();
    const res = ctx.getResponse<Response>();
    if (res.headersSent) return;
    const problem = this.toProblem(error);
    problem.instance = req.originalUrl?.split('?')[0];
    problem.requestId = typeof req.id === 'string' ? req.id : undefined;
    // A route that asks for another scheme (the queue board's Basic) has set its challenge already.
    if (problem.status === 401 && !res.getHeader('WWW-Authenticate')) res.setHeader('WWW-Authenticate', 'Bearer');
    sendProblem(res, problem);
  }

  private toProblem(error: unknown): Problem {
    if (isDomainError(error)) return domainProblem(error); // codes → HTTP: the one table in domain-problems.ts
    if (error instanceof InvalidCursorError) {
      return { type: problemType('invalid-cursor'), title: 'Invalid cursor', status: 400, detail: error.message };
    }
    if (error instanceof HttpException) return fromHttpException(error);
    const parserError = error as { type?: string; status?: number; message?: string; expose?: boolean };
    if (parserError && typeof parserError.type === 'string' && BODY_PARSER_ERRORS[parserError.type]) {
      const m = BODY_PARSER_ERRORS[parserError.type];
      return { type: problemType(m.slug), title: m.title, status: m.status, detail: parserError.message };
    }
    // The body parser's other 400s carry no type: a gzip, deflate or br body that does not decompress.
    if (parserError && parserError.status === HttpStatus.BAD_REQUEST && parserError.expose === true) {
      return { type: problemType('malformed-body'), title: 'Malformed body', status: HttpStatus.BAD_REQUEST, detail: parserError.message };
    }
    if (isRedisUnavailable(error)) {
      this.logger.warn({ err: error }, 'Redis unavailable');
      return {
        type: problemType('queue-unavailable'),
        title: 'Queue unavailable',
        status: HttpStatus.SERVICE_UNAVAILABLE,
        detail: 'the queue store (Redis) is unavailable, try again',
      };
    }
    const errorId = randomUUID();
    this.logger.error({ err: error, errorId }, 'unhandled error');
    return {
      type: problemType('internal'),
      title: 'Internal error',
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      detail: `an unexpected error occurred; quote error id ${errorId}`,
      errorId,
    };
  }
}

/** The body @nestjs/terminus gives the 503 of an unready /health/ready: the whole health result, whose `error` is an object. */
interface HealthResult {
  status: 'error';
  details: Record<string, { status: string }>;
}

const isHealthResult = (body: unknown): body is HealthResult =>
  typeof body === 'object' && body !== null && (body as HealthResult).status === 'error' && typeof (body as HealthResult).details === 'object';

function fromHttpException(error: HttpException): Problem {
  const status = error.getStatus();
  const body = error.getResponse() as string | { message?: string | string[]; error?: unknown; errors?: unknown[] };
  if (isHealthResult(body)) {
    const down = Object.keys(body.details).filter((name) => body.details[name].status !== 'up');
    return { type: problemType('not-ready'), title: 'Not ready', status, detail: `unavailable: ${down.join(', ')}`, checks: body.details };
  }
  const messages = typeof body === 'object' && Array.isArray(body.message) ? body.message : undefined;
  const detail = typeof body === 'string' ? body : messages ? messages.join('; ') : String(body.message ?? error.message);
  const title = typeof body === 'object' && typeof body.error === 'string' && body.error ? body.error : (HttpStatus[status] ?? 'Error').toString();
  const slug =
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'error';
  return {
    type: problemType(slug),
    title,
    status,
    detail,
    errors: typeof body === 'object' && Array.isArray(body.errors) ? body.errors : messages?.map((message) => ({ message })),
  };
}
