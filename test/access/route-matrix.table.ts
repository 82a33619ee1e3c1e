/**
 * Who gets what from every route of the API: the expected status for each
 * caller, written out by hand. route-matrix.e2e-spec.ts sends each request and
 * fails on any other status, on a route of the OpenAPI document without a row
 * here, and on a row without a route.
 *
 * Callers, in the order of `expect`:
 *   none     no Authorization header
 *   revoked  a revoked (admin) key
 *   admin    an admin key
 *   analyst  an analyst key
 *   owner    the supplier the resource belongs to (it disclosed the masked supplier, runs the site, got the survey)
 *   other    another supplier
 *
 * Resources name the fixture's data (see the spec); `missing…` are well-formed ids nothing has.
 * Writes that would change what later rows read use `missing`, so every row sees the same fixture.
 */
export const CALLERS = ['none', 'revoked', 'admin', 'analyst', 'owner', 'other'] as const;
export type Caller = (typeof CALLERS)[number];

export type Resource =
  | 'missing'
  | 'missingKey'
  | 'missingWebhook'
  | 'missingDelivery'
  | 'missingFeed'
  | 'missingList'
  | 'missingLot'
  | 'maskedSupplier'
  | 'maskedSite'
  | 'sku'
  | 'event'
  | 'ownerSite'
  | 'retiredSite'
  | 'survey'
  | 'webhook'
  | 'ownerSupplier';

export interface RouteRow {
  /** Path parameters by name; a parameter not named here gets `missing`. */
  params?: Record<string, Resource>;
  /** A JSON body (sent as application/json), or a CSV file. */
  body?: unknown;
  csv?: string;
  /** Statuses for none, revoked, admin, analyst, owner, other. */
  expect: [number, number, number, number, number, number];
}

/** Buyer-side routes (admin and analyst) and what a missing key, a revoked key and a supplier get. */
const buyer = (admin: number, analyst = admin): RouteRow['expect'] => [401, 401, admin, analyst, 403, 403];
const adminOnly = (admin: number): RouteRow['expect'] => [401, 401, admin, 403, 403, 403];
const portal = (owner: number, other = owner): RouteRow['expect'] => [401, 401, 403, 403, owner, other];
const everyKey = (status: number, other = status): RouteRow['expect'] => [401, 401, status, status, status, other];
const open = (status: number): RouteRow['expect'] => [status, status, status, status, status, status];

export const ROUTE_MATRIX: Record<string, RouteRow> = {
  'GET /health/live': { expect: open(200) },
  'GET /health/ready': { expect: open(200) },
  'GET /v1/me': { expect: everyKey(200) },

  'POST /v1/graph/import': { body: { widgets: [] }, expect: buyer(422) },
  'GET /v1/suppliers': { expect: buyer(200) },
  'GET /v1/suppliers/{id}': { params: { id: 'maskedSupplier' }, expect: buyer(200) },
  'GET /v1/suppliers/{id}/downstream': { params: { id: 'maskedSupplier' }, expect: buyer(200) },
  'GET /v1/sites': { expect: buyer(200) },
  'GET /v1/sites/{id}': { params: { id: 'maskedSite' }, expect: buyer(200) },
  'GET /v1/skus': { expect: buyer(200) },
  'GET /v1/skus/{id}': { params: { id: 'sku' }, expect: buyer(200) },
  'GET /v1/skus/{id}/upstream': { params: { id: 'sku' }, expect: buyer(200) },

  'POST /v1/events': { body: {}, expect: buyer(400) },
  'GET /v1/events': { expect: buyer(200) },
  'GET /v1/events/{id}': { params: { id: 'event' }, expect: buyer(200) },
  'POST /v1/events/{id}/close': { expect: buyer(404) },
  'GET /v1/exposures': { expect: buyer(200) },
  'GET /v1/exposures/{id}': { params: { id: 'sku' }, expect: buyer(404) },
  // The matrix's SKU has no anticipated impact: no outlook.
  'GET /v1/exposures/{id}/outlook': { params: { id: 'sku' }, expect: buyer(404) },
  'POST /v1/scenarios': { body: { impacts: [{ supplierIds: ['maskedSupplier'], x: 1, days: 5 }] }, expect: buyer(200) },
  'GET /v1/risk/rxi': { expect: buyer(200) },
  'GET /v1/risk/spof': { expect: buyer(200) },
  'GET /v1/risk/single-sources': { expect: buyer(200) },
  'GET /v1/risk/concentration': { expect: buyer(200) },
  'GET /v1/risk/coverage': { expect: buyer(200) },
  'GET /v1/surveys': { expect: buyer(200) },

  'POST /v1/telemetry': { body: [], expect: buyer(202) },
  'PUT /v1/sensors/{id}': { body: {}, expect: buyer(400) },
  'GET /v1/sensors/{id}': { expect: buyer(404) },
  'GET /v1/feeds': { expect: buyer(200) },
  'POST /v1/feeds/{id}/pull': { params: { id: 'missingFeed' }, expect: adminOnly(404) },
  'GET /v1/dead-letters': { expect: adminOnly(200) },

  'POST /v1/admin/keys': { body: {}, expect: adminOnly(400) },
  'GET /v1/admin/keys': { expect: adminOnly(200) },
  'DELETE /v1/admin/keys/{id}': { params: { id: 'missingKey' }, expect: adminOnly(404) },
  'POST /v1/keys': { body: {}, expect: adminOnly(400) },
  'GET /v1/keys': { expect: adminOnly(200) },
  'DELETE /v1/keys/{id}': { params: { id: 'missingKey' }, expect: adminOnly(404) },
  'GET /v1/audit': { expect: adminOnly(200) },
  'GET /v1/audit/verify': { expect: adminOnly(200) },

  'GET /v1/portal/profile': { expect: portal(200) },
  'PATCH /v1/portal/profile': { body: {}, expect: portal(200) },
  'GET /v1/portal/sites': { expect: portal(200) },
  'POST /v1/portal/sites': { body: {}, expect: portal(422) },
  'GET /v1/portal/sites/{id}': { params: { id: 'ownerSite' }, expect: portal(200, 404) },
  'PATCH /v1/portal/sites/{id}': { params: { id: 'ownerSite' }, body: {}, expect: portal(200, 404) },
  'POST /v1/portal/sites/{id}/retire': { params: { id: 'retiredSite' }, expect: portal(200, 404) },
  // The owner's site has no pin to confirm: answered as it is, nothing written.
  'POST /v1/portal/sites/{id}/confirm-location': { params: { id: 'ownerSite' }, expect: portal(200, 404) },
  // A JSON body where the upload form belongs; lists are the caller's own, so any list id of another reads as absent.
  'POST /v1/portal/onboarding/lists': { body: {}, expect: portal(415) },
  'GET /v1/portal/onboarding/lists/{id}': { params: { id: 'missingList' }, expect: portal(404) },
  'POST /v1/portal/onboarding/lists/{id}/decisions': { params: { id: 'missingList' }, body: { rows: [] }, expect: portal(404) },
  'POST /v1/portal/onboarding/lists/{id}/confirm': { params: { id: 'missingList' }, expect: portal(404) },
  'POST /v1/portal/subtier': { body: {}, expect: portal(200) },
  'POST /v1/portal/subtier/suppliers.csv': { csv: '', expect: portal(200) },
  'POST /v1/portal/subtier/sites.csv': { csv: '', expect: portal(200) },
  'POST /v1/portal/subtier/links.csv': { csv: '', expect: portal(200) },
  'GET /v1/portal/subtier/suppliers': { expect: portal(200) },
  'GET /v1/portal/subtier/suppliers/{id}': { params: { id: 'maskedSupplier' }, expect: portal(200, 404) },
  'GET /v1/portal/subtier/sites': { expect: portal(200) },
  'GET /v1/portal/subtier/links': { expect: portal(200) },
  'GET /v1/portal/surveys': { expect: portal(200) },
  'GET /v1/portal/surveys/{id}': { params: { id: 'survey' }, expect: portal(200, 404) },
  'POST /v1/portal/surveys/{id}/answer': { params: { id: 'survey' }, body: { status: 'no-impact' }, expect: portal(200, 404) },

  'POST /v1/webhooks': { body: {}, expect: buyer(400) },
  'GET /v1/webhooks': { expect: buyer(200) },
  'GET /v1/webhooks/{id}': { params: { id: 'webhook' }, expect: buyer(200) },
  'PATCH /v1/webhooks/{id}': { params: { id: 'webhook' }, body: {}, expect: buyer(200) },
  'DELETE /v1/webhooks/{id}': { params: { id: 'missingWebhook' }, expect: buyer(404) },
  'POST /v1/webhooks/{id}/rotate-secret': { params: { id: 'missingWebhook' }, expect: buyer(404) },
  'GET /v1/webhooks/{id}/deliveries': { params: { id: 'webhook' }, expect: buyer(200) },
  'GET /v1/webhooks/deliveries/{id}': { params: { id: 'missingDelivery' }, expect: buyer(404) },
  'POST /v1/webhooks/deliveries/{id}/replay': { params: { id: 'missingDelivery' }, expect: buyer(404) },

  'POST /v1/epcis/capture': { body: {}, expect: [401, 401, 400, 403, 400, 400] },
  'GET /v1/epcis/capture/{id}': { expect: everyKey(404) },
  'GET /v1/epcis/events': { expect: everyKey(200) },
  'GET /v1/epcis/events/{id}': { expect: everyKey(404) },
  'GET /v1/epcis/events/{id}/receipt': { expect: everyKey(404) },
  'GET /v1/epcis/unmapped-locations': { expect: adminOnly(200) },
  'GET /v1/trace/{lot}': { params: { lot: 'missingLot' }, expect: buyer(404) },
  'GET /v1/trace/{lot}/recall.csv': { params: { lot: 'missingLot' }, expect: buyer(404) },
  // The risk link: a supplier sees the lots flagged at its own sites (none here); a SKU's flagged lots are the buyer's.
  'GET /v1/trace/flagged': { expect: everyKey(200) },
  'GET /v1/exposures/{id}/flagged-lots': { params: { id: 'sku' }, expect: buyer(200) },

  'POST /v1/twin/runs': { body: { samples: 0 }, expect: buyer(400) },
  'GET /v1/twin/runs/{id}': { expect: buyer(404) },
  'DELETE /v1/twin/runs/{id}': { expect: buyer(404) },
  'GET /v1/twin/runs/{id}/compare/{other}': { expect: buyer(404) },
  'POST /v1/twin/runs/{id}/cancel': { expect: buyer(404) },

  // A range whose end comes before its start: refused before anything is queued.
  'POST /v1/backtests': { body: { from: '2023-10-02T00:00:00Z', to: '2023-10-01T00:00:00Z', source: 'history' }, expect: buyer(422) },
  'GET /v1/backtests/{id}': { expect: buyer(404) },

  'POST /v1/onboarding/lists': { body: {}, expect: buyer(415) },
  'GET /v1/onboarding/lists/{id}': { params: { id: 'missingList' }, expect: buyer(404) },
  'POST /v1/onboarding/lists/{id}/decisions': { params: { id: 'missingList' }, body: { rows: [] }, expect: buyer(404) },
  'POST /v1/onboarding/lists/{id}/confirm': { params: { id: 'missingList' }, expect: buyer(404) },
};
