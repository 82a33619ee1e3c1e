import { Module } from '@nestjs/common';
import { AuditModule } from '@tiersight/audit';
import { GraphModule } from '@tiersight/graph';
import { DisclosureRepository } from './disclosure.repository';
import { DisclosureService } from './disclosure.service';
import { PortalRepository } from './portal.repository';
import { PortalSitesService } from './portal-sites.service';
import { PortalWriter } from './portal-writer';
import { OwnSiteListService } from './own-site-list.service';
import { SitePlacements } from './site-placement.repository';
import { SurveyRepository } from './survey.repository';
import { SurveyService } from './survey.service';

/**
 * The supplier data-sharing portal: own profile and sites (with their pins to confirm), lists of own
 * sites confirmed, sub-tier disclosures, surveys. Needs ConfigModule, ObservabilityModule and QueuesModule.
 */
@Module({
  imports: [GraphModule, AuditModule],
  providers: [
    PortalWriter,
    PortalRepository,
    PortalSitesService,
    SitePlacements,
    OwnSiteListService,
    DisclosureRepository,
    DisclosureService,
    SurveyRepository,
    SurveyService,
  ],
  exports: [PortalSitesService, SitePlacements, OwnSiteListService, DisclosureService, SurveyService],
})
export class PortalModule {}
