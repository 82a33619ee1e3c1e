import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROVENANCES, VISIBILITIES, type Provenance, type Visibility } from '@tiersight/contracts';
import { SURVEY_STATES, type SurveyState } from '@tiersight/portal';
import { PageOf } from '../openapi/page.dto';
import { SupplyTerms } from '../openapi/supply-network.dto';
import { SitePin } from './site-pin.dto';

/** The supplier record of the key's supplier. */
export class PortalProfile {
  @ApiProperty({ type: String })
  id: string;

  @ApiProperty({ type: String })
  name: string;

  @ApiProperty({ type: String })
  country: string;

  @ApiProperty({ type: Number })
  siteCount: number;
}

/** One of the supplier's own sites, with its pin's placement (`locationToConfirm`: the pin waits for you to confirm or move it). */
export class PortalSite extends SitePin {
  @ApiProperty({ type: String })
  id: string;

  @ApiProperty({ type: String, nullable: true, description: "the supplier's own reference" })
  ref: string | null;

  @ApiProperty({ type: String })
  name: string;

  @ApiProperty({ type: Number, nullable: true, description: 'time to recover if lost (days)' })
  ttrDays: number | null;

  @ApiProperty({ type: String, enum: ['active', 'retired'] })
  status: 'active' | 'retired';

  @ApiProperty({ type: String, nullable: true })
  retiredAt: string | null;

  @ApiProperty({ type: String, enum: PROVENANCES, nullable: true })
  source: Provenance | null;

  @ApiProperty({ type: String, nullable: true })
  confirmedAt: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'GS1 location id (GLN / SGLN) as a canonical GS1 Digital Link, https://id.gs1.org/414/…; EPCIS events at it are tied to the site',
  })
  gln: string | null;
}

/** A sub-tier supplier as its discloser sees it (with its name, whatever its visibility). */
export class DisclosedSupplier {
  @ApiProperty({ type: String })
  id: string;

  @ApiProperty({ type: String, description: "the discloser's reference" })
  ref: string;

  @ApiProperty({ type: String })
  name: string;

  @ApiProperty({ type: String })
  country: string;

  @ApiProperty({ type: String, enum: VISIBILITIES, description: '`masked`: the buyer sees only its id, country, tier and site locations' })
  visibility: Visibility;

  @ApiProperty({ type: Number })
  siteCount: number;
}

export class DisclosedSite extends PortalSite {
  @ApiProperty({ type: String })
  supplierId: string;
}

/** A supply link from a disclosed site into one of the discloser's sites (or another disclosed one). */
export class DisclosedLink extends SupplyTerms {
  @ApiProperty({ type: String })
  fromSiteId: string;

  @ApiProperty({ type: String })
  toSiteId: string;

  @ApiProperty({ type: String, description: "the discloser's reference for the part" })
  part: string;

  @ApiProperty({ type: String, nullable: true })
  partName: string | null;

  @ApiProperty({ type: String, nullable: true })
  confirmedAt: string | null;
}

const REF_IDS = { type: 'object', additionalProperties: { type: 'string' } } as const;

/** The platform id of every reference in the disclosure, by entity. */
export class DisclosureIds {
  @ApiProperty({ ...REF_IDS, description: 'supplier ref → id' })
  suppliers: Record<string, string>;

  @ApiProperty({ ...REF_IDS, description: 'site ref → id' })
  sites: Record<string, string>;

  @ApiProperty({ ...REF_IDS, description: 'part ref → id' })
  parts: Record<string, string>;
}

/** What a disclosure wrote (all or nothing). */
export class DisclosureResult {
  @ApiProperty({ type: Number, description: 'suppliers added or updated' })
  suppliers: number;

  @ApiProperty({ type: Number, description: 'sites added or updated' })
  sites: number;

  @ApiProperty({ type: Number, description: 'links added or updated' })
  links: number;

  @ApiProperty({ type: Number })
  nodesCreated: number;

  @ApiProperty({ type: Number })
  relationshipsCreated: number;

  @ApiProperty({ type: DisclosureIds })
  ids: DisclosureIds;
}

/** The event a survey asks about. */
export class SurveyEvent {
  @ApiProperty({ type: String })
  id: string;

  @ApiProperty({ type: String })
  type: string;

  @ApiProperty({ type: String })
  title: string;

  @ApiProperty({ type: Number, minimum: 0, maximum: 1 })
  severity: number;

  @ApiProperty({ type: Number })
  expectedDurationDays: number;

  @ApiProperty({ type: String, nullable: true })
  startsAt: string | null;

  @ApiProperty({ type: String, nullable: true })
  updatedAt: string | null;
}

/** A loss of output for a number of days. */
export class SiteImpact {
  @ApiProperty({ type: Number, minimum: 0, maximum: 1 })
  x: number;

  @ApiProperty({ type: Number })
  days: number;
}

export class SurveyAnswerValues {
  @ApiProperty({ type: Number, minimum: 0, maximum: 1 })
  capacityLoss: number;

  @ApiProperty({ type: Number })
  recoveryDays: number;
}

export class SurveySite {
  @ApiProperty({ type: String })
  id: string;

  @ApiProperty({ type: String })
  name: string;
}

/** A reference with a name the buyer's side may see masked (null, with `masked: true`). */
export class MaskableRef {
  @ApiProperty({ type: String })
  id: string;

  @ApiProperty({ type: String, nullable: true })
  name: string | null;

  @ApiPropertyOptional({ type: Boolean })
  masked?: boolean;
}

abstract class SurveyFields {
  @ApiProperty({ type: String, description: 'sv_…' })
  id: string;

  @ApiProperty({ type: String, enum: SURVEY_STATES, description: '`potential` = not answered yet' })
  state: SurveyState;

  @ApiProperty({ type: SurveyEvent })
  event: SurveyEvent;

  @ApiProperty({ type: SiteImpact, description: "the platform's estimate for the site (event severity and duration)" })
  estimate: SiteImpact;

  @ApiProperty({ type: SurveyAnswerValues, nullable: true, description: "the supplier's figures when it confirmed an impact" })
  answer: SurveyAnswerValues | null;

  @ApiProperty({ type: SiteImpact, description: 'what the risk engine uses for this site and event' })
  impact: SiteImpact;

  @ApiProperty({ type: String })
  askedAt: string;

  @ApiProperty({ type: String, nullable: true })
  answeredAt: string | null;
}

/** A survey as the supplier it is addressed to sees it. */
export class SupplierSurvey extends SurveyFields {
  @ApiProperty({ type: SurveySite })
  site: SurveySite;
}

/** A survey as analysts see it: who has been asked, since when. */
export class AnalystSurvey extends SurveyFields {
  @ApiProperty({ type: MaskableRef })
  site: MaskableRef;

  @ApiProperty({ type: MaskableRef })
  supplier: MaskableRef;

  @ApiProperty({ type: Number, description: 'days since the question was asked' })
  ageDays: number;
}

export class PortalSitePage extends PageOf(PortalSite) {}
export class DisclosedSupplierPage extends PageOf(DisclosedSupplier) {}
export class DisclosedSitePage extends PageOf(DisclosedSite) {}
export class DisclosedLinkPage extends PageOf(DisclosedLink) {}
export class SupplierSurveyPage extends PageOf(SupplierSurvey) {}
export class AnalystSurveyPage extends PageOf(AnalystSurvey) {}
