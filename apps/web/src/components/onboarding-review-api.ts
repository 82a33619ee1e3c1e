import { client, type Schemas, unwrap } from '../api';

// Onboarding a supplier list: the four routes of a list, under the analyst's base
// (/v1/onboarding/lists) or the supplier portal's (/v1/portal/onboarding/lists).
// Both answer the same shapes but for one thing: a portal row proposes no supplier
// (every row is a site of the caller) and names its site's id only when the site
// exists. The review reads a row as that common shape.

/** A row of a list under review, as both bases answer it (`supplier`: the analyst's only). */
export type OnboardingRow = Schemas['PortalOnboardingRow'] & { supplier?: Schemas['OnboardingRow']['supplier'] };
export type OnboardingList = Omit<Schemas['OnboardingList'], 'rows'> & { rows: { items: OnboardingRow[]; nextCursor: string | null } | null };
export type OnboardingPair = Schemas['OnboardingPair'];
export type OnboardingPairSide = Schemas['OnboardingPairSide'];
export type OnboardingConfirmed = Schemas['OnboardingConfirmed'];
export type OnboardingDecisions = Schemas['DecisionsDto'];
export type RowDecision = Schemas['RowDecisionDto'];

/** Where a list's routes live: the analyst API or the supplier portal. */
export type OnboardingBase = '/v1/onboarding/lists' | '/v1/portal/onboarding/lists';

/** The calls a review page makes, against one base. */
export interface OnboardingApi {
  /** Uploads a CSV or XLSX list (multipart, field `file`; `mapping`: optional JSON of field → header); 202 queued. */
  upload(file: File, mapping?: string): Promise<Schemas['OnboardingListAccepted']>;
  /** The list's status and progress; once reviewed, one page of rows. */
  list(id: string, page: { limit: number; cursor?: string }): Promise<OnboardingList>;
  decide(id: string, body: OnboardingDecisions): Promise<Schemas['OnboardingDecisionCounts']>;
  /** 409 while decisions are missing, 422 when the write is refused; both as ApiError with the problem's `errors`. */
  confirm(id: string): Promise<OnboardingConfirmed>;
}

/**
 * The upload form. The typed body names the form's fields (OpenAPI types a binary part as a string); what
 * goes out is the FormData itself, for which the browser writes the multipart content type and boundary.
 */
function uploadRequest(file: File, mapping?: string) {
  const form = new FormData();
  form.append('file', file, file.name);
  if (mapping?.trim()) form.append('mapping', mapping.trim());
  return { body: { file: file.name }, bodySerializer: () => form };
}

const analyst: OnboardingApi = {
  upload: (file, mapping) => unwrap(client.POST('/v1/onboarding/lists', uploadRequest(file, mapping))),
  list: (id, page) => unwrap(client.GET('/v1/onboarding/lists/{id}', { params: { path: { id }, query: page } })),
  decide: (id, body) => unwrap(client.POST('/v1/onboarding/lists/{id}/decisions', { params: { path: { id } }, body })),
  confirm: (id) => unwrap(client.POST('/v1/onboarding/lists/{id}/confirm', { params: { path: { id } } })),
};

const portal: OnboardingApi = {
  upload: (file, mapping) => unwrap(client.POST('/v1/portal/onboarding/lists', uploadRequest(file, mapping))),
  list: (id, page) => unwrap(client.GET('/v1/portal/onboarding/lists/{id}', { params: { path: { id }, query: page } })),
  decide: (id, body) => unwrap(client.POST('/v1/portal/onboarding/lists/{id}/decisions', { params: { path: { id } }, body })),
  confirm: (id) => unwrap(client.POST('/v1/portal/onboarding/lists/{id}/confirm', { params: { path: { id } } })),
};

export const onboardingApi = (base: OnboardingBase): OnboardingApi => (base === '/v1/portal/onboarding/lists' ? portal : analyst);
