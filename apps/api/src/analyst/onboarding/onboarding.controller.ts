import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller, CurrentCaller, Roles } from '@tiersight/access';
import { OnboardingService } from '@tiersight/onboarding';
import { OnboardingConfirmFlow } from './onboarding-confirm.flow';
import { DecisionsDto, ListIdParam, ListRowsQuery, UploadListForm } from './onboarding.dto';
import { acceptedBody, hasRows, listBody, requestIdOf, toDecisions, uploadOf, type RequestWithId, type UploadedFilePart } from './onboarding-http';
import { OnboardingConfirmed, OnboardingDecisionCounts, OnboardingList, OnboardingListAccepted } from './onboarding.responses.dto';

const BASE = '/v1/onboarding/lists';

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
    const upload = uploadOf(file, fields, req);
    const list = await this.onboarding.submit(upload, upload.mapping, { requestId: requestIdOf(req) });
    res.setHeader('Location', `${BASE}/${list.id}`);
    return acceptedBody(BASE, list);
  }

  /** A list's status and progress; once reviewed, its summary and a page of rows (`limit`, `cursor`) with their decisions and duplicate proposals. */
  @Get(':id')
  @ApiOkResponse({ type: OnboardingList })
  async one(@Param() p: ListIdParam, @Query() q: ListRowsQuery) {
    const list = await this.onboarding.get(p.id);
    return { ...listBody(BASE, list), rows: hasRows(list) ? await this.onboarding.rowPage(p.id, q) : null };
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
