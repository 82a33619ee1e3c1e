import { NotFoundException } from '@nestjs/common';
import { AccessError, AccessErrorCode } from '@tiersight/access';
import { GraphError, GraphErrorCode } from '@tiersight/graph';
import { PortalError, PortalErrorCode, SurveyTransitionError } from '@tiersight/portal';
import { WebhookError, WebhookErrorCode } from '@tiersight/webhooks';
import { DOMAIN_PROBLEMS, domainProblem, isDomainError } from './domain-problems';

const ALL_CODES: string[] = [GraphErrorCode, PortalErrorCode, WebhookErrorCode, AccessErrorCode].flatMap((codes) => Object.values(codes));

describe('domain error codes → problem+json', () => {
  it('holds every code of every domain once, and nothing else', () => {
    expect(new Set(ALL_CODES).size).toBe(ALL_CODES.length);
    expect(Object.keys(DOMAIN_PROBLEMS).sort()).toEqual([...ALL_CODES].sort());
  });

  it.each(ALL_CODES)('%s is a 4xx (or a 503) with a slug and a title', (code) => {
    const kind = DOMAIN_PROBLEMS[code as keyof typeof DOMAIN_PROBLEMS];
    expect(kind.status === 503 || (kind.status >= 400 && kind.status < 500)).toBe(true);
    expect(kind.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(kind.title.trim()).not.toBe('');
  });

  it('gives one slug one status', () => {
    const statusOf = new Map<string, number>();
    for (const kind of Object.values(DOMAIN_PROBLEMS)) {
      expect(statusOf.get(kind.slug) ?? kind.status).toBe(kind.status);
      statusOf.set(kind.slug, kind.status);
    }
  });

  it.each([
    [
      new PortalError(PortalErrorCode.DisclosureRejected, '1 row error(s); nothing was written', {
        errors: [{ entity: 'links', index: 0, field: 'toSiteId', message: 'site does not exist' }],
      }),
      {
        type: 'https://tiersight.dev/problems/disclosure-rejected',
        title: 'Disclosure rejected',
        status: 422,
        detail: '1 row error(s); nothing was written',
        errors: [{ entity: 'links', index: 0, field: 'toSiteId', message: 'site does not exist' }],
      },
    ],
    [
      new PortalError(PortalErrorCode.NotFound, 'no such site'),
      { type: 'https://tiersight.dev/problems/not-found', title: 'Not Found', status: 404, detail: 'no such site', errors: undefined },
    ],
    [
      new SurveyTransitionError('potential', 'restored'),
      {
        type: 'https://tiersight.dev/problems/conflict',
        title: 'Conflict',
        status: 409,
        detail: 'only a confirmed impact can be restored (the survey is potential)',
        errors: undefined,
      },
    ],
    [
      new WebhookError(WebhookErrorCode.UrlRefused, 'http://10.0.0.7/hook: 10.0.0.7 is a private address', {
        errors: [{ field: 'url', message: 'http://10.0.0.7/hook: 10.0.0.7 is a private address' }],
      }),
      {
        type: 'https://tiersight.dev/problems/webhook-url-refused',
        title: 'Webhook URL refused',
        status: 422,
        detail: 'http://10.0.0.7/hook: 10.0.0.7 is a private address',
        errors: [{ field: 'url', message: 'http://10.0.0.7/hook: 10.0.0.7 is a private address' }],
      },
    ],
    [
      new WebhookError(WebhookErrorCode.SubscriptionNotFound, 'webhook subscription wh_x does not exist'),
      {
        type: 'https://tiersight.dev/problems/not-found',
        title: 'Not found',
        status: 404,
        detail: 'webhook subscription wh_x does not exist',
        errors: undefined,
      },
    ],
    [
      new AccessError(AccessErrorCode.InvalidKeyRequest, 'a supplier key needs supplierId', {
        errors: [{ field: 'supplierId', message: 'a supplier key needs supplierId' }],
      }),
      {
        type: 'https://tiersight.dev/problems/invalid-key-request',
        title: 'Invalid key request',
        status: 422,
        detail: 'a supplier key needs supplierId',
        errors: [{ field: 'supplierId', message: 'a supplier key needs supplierId' }],
      },
    ],
    [
      new GraphError(GraphErrorCode.Unavailable, 'the graph database is unavailable, try again'),
      {
        type: 'https://tiersight.dev/problems/graph-unavailable',
        title: 'Graph database unavailable',
        status: 503,
        detail: 'the graph database is unavailable, try again',
        errors: undefined,
      },
    ],
  ])('answers %p with its problem', (error, problem) => {
    expect(isDomainError(error)).toBe(true);
    expect(isDomainError(error) && domainProblem(error)).toEqual(problem);
  });

  it('leaves other errors to the rest of the filter', () => {
    expect(isDomainError(new NotFoundException('x'))).toBe(false);
    expect(isDomainError(new Error('x'))).toBe(false);
    expect(isDomainError({ code: GraphErrorCode.NotFound, message: 'x' })).toBe(false);
  });
});
