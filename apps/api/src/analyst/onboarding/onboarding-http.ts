import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { Request } from 'express';
import { OnboardingError, OnboardingErrorCode, type DecisionsInput, type ListRecord } from '@tiersight/onboarding';
import { GAZETTEER_ATTRIBUTION } from '@tiersight/place-engine';
import type { DecisionsDto } from './onboarding.dto';

/**
 * How a list request is read, shared by the buyer's routes (`/v1/onboarding/lists`)
 * and the supplier's (`/v1/portal/onboarding/lists`): each keeps its own
 * controller, roles and scope; what a request carries is read the same way.
 */

/** The part of a multipart file a route reads (multer keeps it in memory, within ONBOARDING_MAX_BYTES). */
export interface UploadedFilePart {
  buffer: Buffer;
  originalname: string;
}

export type RequestWithId = Request & { id?: string };
export const requestIdOf = (req: RequestWithId) => (typeof req.id === 'string' ? req.id : undefined);

/**
 * The file and the `mapping` field of an upload form (415 when the request is not a form, 422 without a file). The
 * form's text fields are read here rather than by a DTO: the validation pipe runs before the handler and would
 * answer a JSON body 400 instead of 415.
 */
export function uploadOf(
  file: UploadedFilePart | undefined,
  fields: Record<string, unknown> | undefined,
  req: Request,
): { bytes: Buffer; name: string | null; mapping: string | undefined } {
  if (!req.is('multipart/form-data')) throw new UnsupportedMediaTypeException('send the list as multipart/form-data with the file in the field "file"');
  if (!file) throw new OnboardingError(OnboardingErrorCode.UnreadableFile, 'no file: send the list in the multipart field "file"');
  return { bytes: file.buffer, name: file.originalname || null, mapping: mappingField(fields) };
}

function mappingField(fields: Record<string, unknown> | undefined): string | undefined {
  const other = Object.keys(fields ?? {}).filter((name) => name !== 'mapping');
  if (other.length > 0)
    throw new OnboardingError(OnboardingErrorCode.InvalidMapping, `unknown form field(s) ${other.join(', ')}: send "file" and optionally "mapping"`);
  const mapping = fields?.mapping;
  if (mapping !== undefined && typeof mapping !== 'string')
    throw new OnboardingError(OnboardingErrorCode.InvalidMapping, 'mapping must be one JSON text field');
  return mapping;
}

export function progressOf(list: ListRecord) {
  return { done: list.done, total: list.total, fraction: list.total > 0 ? list.done / list.total : 0 };
}

/** The routes of one list under `base`. */
export function linksOf(base: string, id: string) {
  return { self: `${base}/${id}`, decisions: `${base}/${id}/decisions`, confirm: `${base}/${id}/confirm` };
}

/** What an upload answers (202). */
export function acceptedBody(base: string, list: ListRecord) {
  return { id: list.id, status: list.status, progress: progressOf(list), file: list.file, links: linksOf(base, list.id) };
}

/** A list as GET answers it, without its rows (each route adds its own page of rows). */
export function listBody(base: string, list: ListRecord) {
  return {
    ...acceptedBody(base, list),
    createdAt: list.createdAt,
    startedAt: list.startedAt,
    finishedAt: list.finishedAt,
    error: list.error,
    summary: list.summary,
    confirmation: list.confirmation,
    attribution: GAZETTEER_ATTRIBUTION,
  };
}

/** Whether a list has rows to page (once reviewed). */
export const hasRows = (list: ListRecord) => list.status === 'ready' || list.status === 'confirmed';

/** The body as the library takes it: coordinates, country and name belong to an edit, which needs both coordinates. */
export function toDecisions(body: DecisionsDto): DecisionsInput {
  const problems: { row: number; field: string; message: string }[] = [];
  const rows: NonNullable<DecisionsInput['rows']> = [];
  for (const d of body.rows ?? []) {
    const extra = [d.lat, d.lon, d.country, d.name].some((v) => v !== undefined);
    if (d.action === 'edit') {
      if (d.lat === undefined || d.lon === undefined) problems.push({ row: d.row, field: 'rows', message: `row ${d.row}: an edit needs lat and lon` });
      else
        rows.push({
          row: d.row,
          action: 'edit',
          lat: d.lat,
          lon: d.lon,
          ...(d.country ? { country: d.country.toUpperCase() } : {}),
          ...(d.name ? { name: d.name } : {}),
        });
    } else if (extra) problems.push({ row: d.row, field: 'rows', message: `row ${d.row}: lat, lon, country and name belong to an edit, not to ${d.action}` });
    else rows.push({ row: d.row, action: d.action });
  }
  if (problems.length > 0) throw new OnboardingError(OnboardingErrorCode.InvalidDecision, problems.map((p) => p.message).join('; '), { errors: problems });
  return { rows, pairs: body.pairs?.map((d) => ({ id: d.id, action: d.action })) };
}
