import { ApiProperty } from '@nestjs/swagger';
import { SITE_KINDS, type SiteKind, type SupplyTerms as SupplyTermsShape } from '@tiersight/contracts';

/**
 * Fields several response schemas share, declared once. The classes are
 * abstract: a schema extends them and keeps its own name.
 */

/** The terms of a SUPPLIES edge. */
export abstract class SupplyTerms implements SupplyTermsShape {
  @ApiProperty({ type: String })
  partId: string;

  @ApiProperty({ type: Number, minimum: 0, maximum: 1 })
  share: number;

  @ApiProperty({ type: Number })
  bufferDays: number;

  @ApiProperty({ type: Number })
  leadTimeDays: number;
}

/** What kind of site it is and where it stands. */
export abstract class SitePlace {
  @ApiProperty({ type: String, enum: SITE_KINDS })
  kind: SiteKind;

  @ApiProperty({ type: Number })
  lat: number;

  @ApiProperty({ type: Number })
  lon: number;

  @ApiProperty({ type: String })
  country: string;
}
