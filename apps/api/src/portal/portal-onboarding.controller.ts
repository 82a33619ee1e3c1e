import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller, CurrentCaller, Roles } from '@tiersight/access';
import { OnboardingService } from '@tiersight/onboarding';
import { DecisionsDto, ListIdParam, ListRowsQuery, UploadListForm } from '../analyst/onboarding/onboarding.dto';
import {
  acceptedBody,
  hasRows,
  listBody,
  requestIdOf,
  toDecisions,
  uploadOf,
  type RequestWithId,
  type UploadedFilePart,
} from '../analyst/onboarding/onboarding-http';
import { OnboardingConfirmed, OnboardingDecisionCounts, OnboardingListAccepted } from '../analyst/onboarding/onboarding.responses.dto';
import { portalActor } from './portal-actor';
import { PortalOnboardingFlow } from './portal-onboarding.flow';
import { PortalOnboardingList } from './portal-onboarding.responses.dto';
import { portalRowPage } from './portal-onboarding.view';

const BASE = '/v1/portal/onboarding/lists';
const NOT_YOURS = 'no such list among yours (or it has expired)';

/**
 * A list of your own sites with addresses and no coordinates (issue #18):
 * upload a CSV or XLSX, see where each row landed and which rows are sites you
 * have already, decide, confirm. The same review as a buyer's list
 * (libs/onboarding), scoped to you: only you see and decide your lists (another
 * supplier's list reads as absent, 404), duplicates are proposed against your
 * own sites only, and every row becomes a site of yours — the name column is
 * the site's name (a facility column wins over a supplier or company column;
 * a supplier id column is ignored). The confirm writes through the portal
 * (audited); a pin coarser than a town waits for you to confirm or move it
 * (`locationToConfirm` on your sites).
 */
@ApiTags('portal')
@ApiBearerAuth()
@Roles('supplier')
@Controller('v1/portal/onboarding/lists')
export class PortalOnboardingController {
  constructor(
    private readonly onboarding: OnboardingService,
    private readonly confirmFlow: PortalOnboardingFlow,
  ) {}

  /**
   * Uploads a list of your sites (multipart, field `file`; optional `mapping`):
   * read at once (415 neither CSV nor XLSX, 422 unreadable or no name column,
   * 413 too large or too many rows), reviewed by a job. Poll `links.self`.
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
    @CurrentCaller() caller: Caller,
  ) {
    const { supplierId } = portalActor(caller);
    const upload = uploadOf(file, fields, req);
    const list = await this.onboarding.submit(upload, upload.mapping, { requestId: requestIdOf(req), owner: supplierId });
    res.setHeader('Location', `${BASE}/${list.id}`);
    return acceptedBody(BASE, list);
  }

  /** Your list's status and progress; once reviewed, its summary and a page of rows (`limit`, `cursor`) with their decisions and duplicate proposals. */
  @Get(':id')
  @ApiOkResponse({ type: PortalOnboardingList })
  @ApiNotFoundResponse({ description: NOT_YOURS })
  async one(@Param() p: ListIdParam, @Query() q: ListRowsQuery, @CurrentCaller() caller: Caller) {
    const list = await this.onboarding.get(p.id, portalActor(caller).supplierId);
    return { ...listBody(BASE, list), rows: hasRows(list) ? portalRowPage(await this.onboarding.rowPage(p.id, q)) : null };
  }

  /**
   * Decides rows (accept the pin, edit its coordinates, reject the row) and
   * duplicate proposals (confirm: the row is that site of yours; reject: two
   * sites, never proposed again). A later decision replaces an earlier one.
   */
  @Post(':id/decisions')
  @HttpCode(200)
  @ApiOkResponse({ type: OnboardingDecisionCounts, description: 'how many rows and proposals now have a decision' })
  @ApiNotFoundResponse({ description: NOT_YOURS })
  decide(@Param() p: ListIdParam, @Body() body: DecisionsDto, @CurrentCaller() caller: Caller): Promise<OnboardingDecisionCounts> {
    return this.onboarding.decide(p.id, toDecisions(body), portalActor(caller).supplierId);
  }

  /**
   * Writes the reviewed list as your sites, all or nothing and audited; `rows`
   * give each row's site id. 409 while decisions are missing (each named), 422
   * when a site breaks the site rules; nothing is written then.
   */
  @Post(':id/confirm')
  @HttpCode(200)
  @ApiOkResponse({ type: OnboardingConfirmed })
  @ApiNotFoundResponse({ description: NOT_YOURS })
  confirm(@Param() p: ListIdParam, @CurrentCaller() caller: Caller) {
    return this.confirmFlow.confirm(p.id, portalActor(caller));
  }
}
