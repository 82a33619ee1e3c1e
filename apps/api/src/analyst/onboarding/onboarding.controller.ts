import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UnsupportedMediaTypeException, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Caller, CurrentCaller, Roles } from '@tiersight/access';
import { OnboardingError, OnboardingErrorCode, OnboardingService, type DecisionsInput, type ListRecord } from '@tiersight/onboarding';
import { GAZETTEER_ATTRIBUTION } from '@tiersight/place-engine';
import { OnboardingConfirmFlow } from './onboarding-confirm.flow';
import { DecisionsDto, ListIdParam, ListRowsQuery, UploadListForm } from './onboarding.dto';
import { OnboardingConfirmed, OnboardingDecisionCounts, OnboardingList, OnboardingListAccepted } from './onboarding.responses.dto';

const BASE = '/v1/onboarding/lists';

/** The part of a multipart file the route reads (multer keeps it in memory, within ONBOARDING_MAX_BYTES). */
interface UploadedFilePart {
  buffer: Buffer;
  originalname: string;
}

type RequestWithId = Request & { id?: string };
const requestIdOf = (req: RequestWithId) => (typeof req.id === 'string' ? req.id : undefined);

/**
 * Onboarding a supplier list (issue #18): upload a CSV or XLSX, review where
 * each row landed and which rows are the same facility, decide, confirm.
 * Nothing is written to the graph before the confirm, which goes through the
 * normal import. Logic lives in libs/onboarding.
 */
@ApiTags('onboarding')
@ApiBearerAuth()
@Roles('admin', 'analyst')
@Controller('v1/onboarding/lists')
export class OnboardingController {
  constructor(
    private readonly onboarding: OnboardingService,
    private readonly confirmFlow: OnboardingConfirmFlow,
  ) {}

  /**
   * Uploads a list (multipart, field `file`; optional `mapping`): read at once
   * (415 neither CSV nor XLSX, 422 unreadable or no name column, 413 above
   * ONBOARDING_MAX_BYTES or ONBOARDING_MAX_ROWS), reviewed by a job. Poll `links.self`.
   */
  @Post()
  @HttpCode(202)
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadListForm })
  @ApiAcceptedResponse({ type: OnboardingListAccepted, description: 'queued for review; `Location` names the list to poll' })
  async upload(
    @UploadedFile() file: UploadedFilePart | undefined,
    @Body() fields: Record<string, unknown>,
    @Req() req: RequestWithId,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (!req.is('multipart/form-data')) throw new UnsupportedMediaTypeException('send the list as multipart/form-data with the file in the field "file"');
    if (!file) throw new OnboardingError(OnboardingErrorCode.UnreadableFile, 'no file: send the list in the multipart field "file"');
    const list = await this.onboarding.submit({ bytes: file.buffer, name: file.originalname || null }, mappingField(fields), { requestId: requestIdOf(req) });
    res.setHeader('Location', `${BASE}/${list.id}`);
    return { id: list.id, status: list.status, progress: progressOf(list), file: list.file, links: linksOf(list.id) };
  }

  /** A list's status and progress; once reviewed, its summary and a page of rows (`limit`, `cursor`) with their decisions and duplicate proposals. */
  @Get(':id')
  @ApiOkResponse({ type: OnboardingList })
  async one(@Param() p: ListIdParam, @Query() q: ListRowsQuery) {
    const list = await this.onboarding.get(p.id);
    const rows = list.status === 'ready' || list.status === 'confirmed' ? await this.onboarding.rowPage(p.id, q) : null;
    return {
      id: list.id,
      status: list.status,
      progress: progressOf(list),
      file: list.file,
      links: linksOf(list.id),
      createdAt: list.createdAt,
      startedAt: list.startedAt,
      finishedAt: list.finishedAt,
      error: list.error,
      summary: list.summary,
      rows,
      confirmation: list.confirmation,
      attribution: GAZETTEER_ATTRIBUTION,
    };
  }

  /**
   * Decides rows (accept, edit coordinates, reject) and duplicate proposals
   * (confirm: one site; reject: two, never proposed again). A later decision
   * replaces an earlier one; 422 names rows or proposals the review does not have.
   */
  @Post(':id/decisions')
  @HttpCode(200)
  @ApiOkResponse({ type: OnboardingDecisionCounts, description: 'how many rows and proposals now have a decision' })
  async decide(@Param() p: ListIdParam, @Body() body: DecisionsDto): Promise<OnboardingDecisionCounts> {
    return this.onboarding.decide(p.id, toDecisions(body));
  }

  /**
   * Writes the reviewed list through the normal import (every DESIGN §2 rule,
   * all or nothing, audited). 409 while decisions are missing (each named),
   * 422 when the import refuses the rows; nothing is written then.
   */
  @Post(':id/confirm')
  @HttpCode(200)
  @ApiOkResponse({ type: OnboardingConfirmed })
  async confirm(@Param() p: ListIdParam, @Req() req: RequestWithId, @CurrentCaller() caller: Caller) {
    return this.confirmFlow.confirm(p.id, requestIdOf(req), caller);
  }
}

/**
 * The `mapping` field of the form. The form's text fields are read here rather than by a DTO: the
 * validation pipe runs before the handler and would answer a JSON body 400 instead of 415.
 */
function mappingField(fields: Record<string, unknown> | undefined): string | undefined {
  const other = Object.keys(fields ?? {}).filter((name) => name !== 'mapping');
  if (other.length > 0)
    throw new OnboardingError(OnboardingErrorCode.InvalidMapping, `unknown form field(s) ${other.join(', ')}: send "file" and optionally "mapping"`);
  const mapping = fields?.mapping;
  if (mapping !== undefined && typeof mapping !== 'string')
    throw new OnboardingError(OnboardingErrorCode.InvalidMapping, 'mapping must be one JSON text field');
  return mapping;
}

function progressOf(list: ListRecord) {
  return { done: list.done, total: list.total, fraction: list.total > 0 ? list.done / list.total : 0 };
}

function linksOf(id: string) {
  return { self: `${BASE}/${id}`, decisions: `${BASE}/${id}/decisions`, confirm: `${BASE}/${id}/confirm` };
}

/** The body as the library takes it: coordinates, country and name belong to an edit, which needs both coordinates. */
function toDecisions(body: DecisionsDto): DecisionsInput {
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
