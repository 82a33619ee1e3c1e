import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsISO31661Alpha2, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { MAX_DAYS, SITE_KINDS, type SiteKind, VISIBILITIES } from '@tiersight/contracts';
import { SURVEY_ANSWERS, SURVEY_STATES, type SurveyAnswerStatus, type SurveyState } from '@tiersight/portal';
import { PageQuery } from '../http/pagination.dto';
import { OptionalEntityId, stacked } from '../http/property-rules';

const UPPER = /^[A-Z]{2}$/;
const COUNTRY = 'ISO 3166-1 alpha-2, upper case';

/** A field's rules: required in a new site, optional in a patch. */
const field = (required: boolean, options: ApiPropertyOptions, ...rules: PropertyDecorator[]) =>
  required ? stacked(ApiProperty(options), ...rules) : stacked(ApiPropertyOptional(options), IsOptional(), ...rules);

const Name = (required = false) => field(required, { maxLength: 256 }, IsString(), MinLength(1), MaxLength(256));
const Kind = (required = false) => field(required, { enum: SITE_KINDS }, IsIn(SITE_KINDS));
const Country = (required: boolean, options: ApiPropertyOptions) =>
  field(required, options, Matches(UPPER, { message: 'country must be an upper-case ISO 3166-1 alpha-2 code' }), IsISO31661Alpha2());
const Degrees = (required: boolean, limit: number) =>
  field(required, { minimum: -limit, maximum: limit }, IsNumber({ allowNaN: false, allowInfinity: false }), Min(-limit), Max(limit));

export class ProfilePatchDto {
  @Name()
  name?: string;

  @Country(false, { description: COUNTRY, example: 'TW' })
  country?: string;
}

export class SitePatchDto {
  @Name()
  name?: string;

  @Kind()
  kind?: SiteKind;

  @Degrees(false, 90)
  lat?: number;

  @Degrees(false, 180)
  lon?: number;

  @Country(false, { description: COUNTRY })
  country?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_DAYS, description: 'time to recover if lost (days); default by kind' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(MAX_DAYS)
  ttrDays?: number;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 256,
    description: 'GS1 location id: a 13-digit GLN, an SGLN EPC URI or a GS1 Digital Link (stored as https://id.gs1.org/414/…); null removes it',
    example: 'urn:epc:id:sgln:4012345.00001.0',
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  gln?: string | null;
}

export class NewSiteDto extends SitePatchDto {
  @OptionalEntityId({ description: 'your own reference for the site (unique among your sites)' })
  ref?: string;

  @Name(true)
  declare name: string;

  @Kind(true)
  declare kind: SiteKind;

  @Degrees(true, 90)
  declare lat: number;

  @Degrees(true, 180)
  declare lon: number;

  @Country(true, { description: COUNTRY, example: 'TW' })
  declare country: string;
}

export class SiteListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['active', 'retired'], description: 'all when absent' })
  @IsOptional()
  @IsIn(['active', 'retired'])
  status?: 'active' | 'retired';

  @ApiPropertyOptional({ type: Boolean, description: 'true: only the sites whose pin waits for you to confirm or move it; false: the others; all when absent' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  locationToConfirm?: boolean;
}

export class SubtierSiteQuery extends PageQuery {
  @OptionalEntityId({ description: 'only the sites of this disclosed supplier' })
  supplierId?: string;
}

export class SurveyIdParam {
  @ApiProperty({ type: String, description: 'a survey id (sv_…)' })
  @IsString()
  @MaxLength(420)
  @Matches(/^sv_[A-Za-z0-9_-]+$/, { message: 'id must be a survey id (sv_…)' })
  id: string;
}

const STATE_FILTERS = ['open', 'all', ...SURVEY_STATES] as const;

export class SurveyListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STATE_FILTERS, default: 'open', description: '`open` = potential (unanswered); `all` = every state' })
  @IsOptional()
  @IsIn(STATE_FILTERS)
  state: (typeof STATE_FILTERS)[number] = 'open';
}

export class AnalystSurveyQuery extends SurveyListQuery {
  @OptionalEntityId()
  eventId?: string;

  @OptionalEntityId()
  supplierId?: string;
}

/** The states a list filter stands for. */
export function statesOf(filter: SurveyListQuery['state']): SurveyState[] | null {
  if (filter === 'all') return null;
  if (filter === 'open') return ['potential'];
  return [filter];
}

export class SurveyAnswerDto {
  @ApiProperty({ enum: SURVEY_ANSWERS, description: '`confirmed` = impacted (give capacityLoss and recoveryDays); `no-impact`; `restored` (after confirmed)' })
  @IsIn(SURVEY_ANSWERS)
  status: SurveyAnswerStatus;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, exclusiveMinimum: true, description: "fraction of the site's output lost (with confirmed)", example: 0.3 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  capacityLoss?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_DAYS, exclusiveMinimum: true, description: 'days until the site is back (with confirmed)', example: 20 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  recoveryDays?: number;
}

/** OpenAPI shape of a disclosure batch (validated row by row by the portal library, with a row-level report). */
export const DISCLOSURE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    suppliers: {
      type: 'array',
      items: {
        type: 'object',
        required: ['ref', 'name', 'country', 'visibility'],
        properties: { ref: { type: 'string' }, name: { type: 'string' }, country: { type: 'string' }, visibility: { type: 'string', enum: [...VISIBILITIES] } },
      },
    },
    sites: {
      type: 'array',
      items: {
        type: 'object',
        required: ['ref', 'supplierRef', 'name', 'kind', 'lat', 'lon', 'country'],
        properties: {
          ref: { type: 'string' },
          supplierRef: { type: 'string' },
          name: { type: 'string' },
          kind: { type: 'string', enum: [...SITE_KINDS] },
          lat: { type: 'number' },
          lon: { type: 'number' },
          country: { type: 'string' },
          ttrDays: { type: 'number' },
          gln: { type: 'string', description: 'GS1 location id: GLN, SGLN EPC URI or GS1 Digital Link' },
        },
      },
    },
    links: {
      type: 'array',
      items: {
        type: 'object',
        required: ['fromSiteRef', 'part', 'share', 'bufferDays', 'leadTimeDays'],
        properties: {
          fromSiteRef: { type: 'string' },
          toSiteId: { type: 'string', description: 'one of your sites (or a disclosed one) by id' },
          toSiteRef: { type: 'string', description: 'a disclosed site by ref (instead of toSiteId)' },
          part: { type: 'string', description: 'your reference for the part shipped' },
          partName: { type: 'string' },
          share: { type: 'number' },
          bufferDays: { type: 'number' },
          leadTimeDays: { type: 'number' },
        },
      },
    },
  },
  example: {
    suppliers: [{ ref: 'resin-co', name: 'Resin Co', country: 'KR', visibility: 'masked' }],
    sites: [{ ref: 'resin-ulsan', supplierRef: 'resin-co', name: 'Ulsan plant', kind: 'plant', lat: 35.54, lon: 129.31, country: 'KR' }],
    links: [{ fromSiteRef: 'resin-ulsan', toSiteId: 'SITE-1', part: 'PA66', partName: 'PA66 resin', share: 0.7, bufferDays: 10, leadTimeDays: 14 }],
  },
};
