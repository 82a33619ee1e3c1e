import { ApiProperty } from '@nestjs/swagger';

/** A site's Risk Exposure Index: the site lost alone for its time to recover. */
export class RxiSite {
  @ApiProperty({ type: String })
  siteId: string;

  @ApiProperty({ type: String })
  supplierId: string;

  @ApiProperty({ type: String })
  country: string;

  @ApiProperty({ type: Number, nullable: true, description: 'null when the site supplies nothing that reaches a SKU' })
  tier: number | null;

  @ApiProperty({ type: Number, minimum: 0, maximum: 1, description: '1 for the worst site' })
  rxi: number;

  @ApiProperty({ type: Number, description: 'revenue at risk over every SKU when the site alone is lost' })
  revenueAtRisk: number;
}

export class RxiReport {
  @ApiProperty({ type: Number })
  maxRevenueAtRisk: number;

  @ApiProperty({ type: [RxiSite], description: 'by RXI, the worst first' })
  sites: RxiSite[];
}

/** A site whose loss alone takes some SKU to x = 1. */
export class SinglePointOfFailure {
  @ApiProperty({ type: String })
  siteId: string;

  @ApiProperty({ type: String })
  supplierId: string;

  @ApiProperty({ type: Number, nullable: true })
  tier: number | null;

  @ApiProperty({ type: Boolean, description: 'tier 2 or deeper: invisible without the sub-tier map' })
  hidden: boolean;

  @ApiProperty({ type: Number })
  revenueAtRisk: number;

  @ApiProperty({ type: [String], description: 'the SKUs its loss stops' })
  skuIds: string[];
}

export class SinglePointsOfFailure {
  @ApiProperty({ type: [SinglePointOfFailure], description: 'by revenue at risk, the largest first' })
  items: SinglePointOfFailure[];
}
