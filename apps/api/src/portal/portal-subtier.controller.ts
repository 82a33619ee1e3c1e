import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiNotFoundResponse, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { Caller, CurrentCaller, Roles } from '@tiersight/access';
import { APP_CONFIG, ApiEnv } from '@tiersight/config';
import { DisclosureEntity, DisclosureService } from '@tiersight/portal';
import { PageQuery } from '../http/pagination.dto';
import { IdParam } from '../http/property-rules';
import { readCsvBody } from './csv-body';
import { DISCLOSURE_SCHEMA, SubtierSiteQuery } from './portal.dto';
import { portalActor } from './portal-actor';
import { DisclosedLinkPage, DisclosedSitePage, DisclosedSupplier, DisclosedSupplierPage, DisclosureResult } from './portal.responses.dto';

const REJECTED = 'problem+json with `errors: [{ entity, index, line?, field, message }]`; nothing written';
const CSV_BODY = { schema: { type: 'string', format: 'binary' }, description: 'CSV with a header row of field names' };

/** Your sub-tier suppliers, their sites and the links from them into your sites. */
@ApiTags('portal')
@ApiBearerAuth()
@Roles('supplier')
@Controller('v1/portal/subtier')
export class PortalSubtierController {
  private readonly maxCsvBytes: number;

  constructor(
    private readonly disclosures: DisclosureService,
    @Inject(APP_CONFIG) config: ApiEnv,
  ) {
    this.maxCsvBytes = config.IMPORT_MAX_BODY_MB * 1024 * 1024;
  }

  /** Upsert sub-tier suppliers, sites and links by your refs, all or nothing; answers the id of every ref. */
  @Post()
  @HttpCode(200)
  @ApiBody({ schema: DISCLOSURE_SCHEMA })
  @ApiOkResponse({ type: DisclosureResult })
  @ApiUnprocessableEntityResponse({ description: REJECTED })
  disclose(@Body() body: unknown, @CurrentCaller() caller: Caller) {
    return this.disclosures.disclose(portalActor(caller), body);
  }

  /** suppliers.csv: ref,name,country,visibility */
  @Post('suppliers.csv')
  @HttpCode(200)
  @ApiOkResponse({ type: DisclosureResult })
  @ApiConsumes('text/csv')
  @ApiBody(CSV_BODY)
  @ApiUnprocessableEntityResponse({ description: REJECTED })
  suppliersCsv(@Req() req: Request, @CurrentCaller() caller: Caller) {
    return this.csv('suppliers', req, caller);
  }

  /** sites.csv: ref,supplierRef,name,kind,lat,lon,country[,ttrDays] */
  @Post('sites.csv')
  @HttpCode(200)
  @ApiOkResponse({ type: DisclosureResult })
  @ApiConsumes('text/csv')
  @ApiBody(CSV_BODY)
  @ApiUnprocessableEntityResponse({ description: REJECTED })
  sitesCsv(@Req() req: Request, @CurrentCaller() caller: Caller) {
    return this.csv('sites', req, caller);
  }

  /** links.csv: fromSiteRef,toSiteId|toSiteRef,part[,partName],share,bufferDays,leadTimeDays */
  @Post('links.csv')
  @HttpCode(200)
  @ApiOkResponse({ type: DisclosureResult })
  @ApiConsumes('text/csv')
  @ApiBody(CSV_BODY)
  @ApiUnprocessableEntityResponse({ description: REJECTED })
  linksCsv(@Req() req: Request, @CurrentCaller() caller: Caller) {
    return this.csv('links', req, caller);
  }

  @Get('suppliers')
  @ApiOkResponse({ type: DisclosedSupplierPage })
  suppliers(@Query() q: PageQuery, @CurrentCaller() caller: Caller) {
    return this.disclosures.suppliers(portalActor(caller).supplierId, q.limit, q.cursor);
  }

  @Get('suppliers/:id')
  @ApiOkResponse({ type: DisclosedSupplier })
  @ApiNotFoundResponse({ description: 'no such supplier among the ones you disclosed' })
  supplier(@Param() p: IdParam, @CurrentCaller() caller: Caller) {
    return this.disclosures.supplier(portalActor(caller).supplierId, p.id);
  }

  @Get('sites')
  @ApiOkResponse({ type: DisclosedSitePage })
  sites(@Query() q: SubtierSiteQuery, @CurrentCaller() caller: Caller) {
    return this.disclosures.sites(portalActor(caller).supplierId, q.limit, q.cursor, q.supplierId);
  }

  @Get('links')
  @ApiOkResponse({ type: DisclosedLinkPage })
  links(@Query() q: PageQuery, @CurrentCaller() caller: Caller) {
    return this.disclosures.links(portalActor(caller).supplierId, q.limit, q.cursor);
  }

  private async csv(entity: DisclosureEntity, req: Request, caller: Caller) {
    const actor = portalActor(caller);
    return this.disclosures.discloseCsv(actor, entity, await readCsvBody(req, this.maxCsvBytes));
  }
}
