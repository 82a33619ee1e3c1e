import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Roles } from '@tiersight/access';
import { PortalSitesService } from '@tiersight/portal';
import { IdParam } from '../http/property-rules';
import { NewSiteDto, ProfilePatchDto, SiteListQuery, SitePatchDto } from './portal.dto';
import { portalActor } from './portal-actor';
import { PortalProfile, PortalSite, PortalSitePage } from './portal.responses.dto';

/** The supplier's own profile and sites. Another supplier's site reads as absent (404). */
@ApiTags('portal')
@ApiBearerAuth()
@Roles('supplier')
@Controller('v1/portal')
export class PortalSitesController {
  constructor(private readonly portal: PortalSitesService) {}

  /** Your supplier record: id, name, country, number of sites. */
  @Get('profile')
  @ApiOkResponse({ type: PortalProfile })
  profile(@CurrentCaller() caller: Caller) {
    return this.portal.profile(portalActor(caller).supplierId);
  }

  /** Change your name or country. */
  @Patch('profile')
  @ApiOkResponse({ type: PortalProfile })
  updateProfile(@Body() body: ProfilePatchDto, @CurrentCaller() caller: Caller) {
    return this.portal.updateProfile(portalActor(caller), body);
  }

  /** Your sites (active and retired unless `status` is given; `locationToConfirm=true`: the pins waiting for you). */
  @Get('sites')
  @ApiOkResponse({ type: PortalSitePage })
  sites(@Query() q: SiteListQuery, @CurrentCaller() caller: Caller) {
    return this.portal.sites(portalActor(caller).supplierId, q.limit, q.cursor, { status: q.status, locationToConfirm: q.locationToConfirm });
  }

  /** Add a site; the platform assigns its id. */
  @Post('sites')
  @HttpCode(201)
  @ApiCreatedResponse({ type: PortalSite })
  addSite(@Body() body: NewSiteDto, @CurrentCaller() caller: Caller) {
    return this.portal.addSite(portalActor(caller), body);
  }

  @Get('sites/:id')
  @ApiOkResponse({ type: PortalSite })
  @ApiNotFoundResponse({ description: 'no such site among yours' })
  site(@Param() p: IdParam, @CurrentCaller() caller: Caller) {
    return this.portal.site(portalActor(caller).supplierId, p.id);
  }

  /**
   * Edit a site (any of name, kind, lat, lon, country, ttrDays, gln). New lat/lon
   * place the pin yourself: it no longer waits for a confirmation, and the
   * gazetteer's precision and radius go (the same lat/lon again change nothing:
   * confirm a pin where it stands with `confirm-location`).
   */
  @Patch('sites/:id')
  @ApiOkResponse({ type: PortalSite })
  @ApiNotFoundResponse({ description: 'no such site among yours' })
  editSite(@Param() p: IdParam, @Body() body: SitePatchDto, @CurrentCaller() caller: Caller) {
    return this.portal.editSite(portalActor(caller), p.id, body);
  }

  /**
   * Confirm the pin of a site placed from an address where it stands
   * (`locationToConfirm` becomes false; the precision it was found with stays).
   * A site whose pin waits for nothing is answered as it is.
   */
  @Post('sites/:id/confirm-location')
  @HttpCode(200)
  @ApiOkResponse({ type: PortalSite })
  @ApiNotFoundResponse({ description: 'no such site among yours' })
  confirmLocation(@Param() p: IdParam, @CurrentCaller() caller: Caller) {
    return this.portal.confirmLocation(portalActor(caller), p.id);
  }

  /** Retire a site: it stays on record but no longer ships or receives anything. */
  @Post('sites/:id/retire')
  @HttpCode(200)
  @ApiOkResponse({ type: PortalSite })
  @ApiNotFoundResponse({ description: 'no such site among yours' })
  retire(@Param() p: IdParam, @CurrentCaller() caller: Caller) {
    return this.portal.retireSite(portalActor(caller), p.id);
  }
}
