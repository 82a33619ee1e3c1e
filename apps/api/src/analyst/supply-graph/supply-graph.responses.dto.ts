import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROVENANCES, VISIBILITIES, type Provenance, type Visibility } from '@tiersight/contracts';
import { PageOf } from '../../openapi/page.dto';
import { SupplyTerms } from '../../openapi/supply-network.dto';
import { SitePin } from '../../portal/site-pin.dto';

const MASKED = 'true when the name is hidden because the supplier is masked (the name is then null)';

/** A supplier with its derived tier (the smallest tier of its sites). */
export class Supplier {
  @ApiProperty({ type: String })
  id: string;

  @ApiProperty({ type: String, nullable: true, description: 'null when the supplier is masked' })
  name: string | null;

  @ApiPropertyOptional({ type: Boolean, description: MASKED })
  masked?: boolean;

  @ApiProperty({ type: String })
  country: string;

  @ApiProperty({ type: String, nullable: true, description: "the supplier that disclosed this one (sub-tier); null for the buyer's own" })
  ownerSupplierId: string | null;

  @ApiProperty({ type: String, enum: VISIBILITIES })
  visibility: Visibility;

  @ApiProperty({ type: Number, nullable: true, description: 'null when none of its sites supplies anything' })
  tier: number | null;

  @ApiProperty({ type: Number })
  siteCount: number;
}

/** A site with its derived tier (1 + the smallest tier among the nodes it supplies) and how its pin was found. */
export class Site extends SitePin {
  @ApiProperty({ type: String })
  id: string;

  @ApiProperty({ type: String })
  supplierId: string;

  @ApiProperty({ type: String, nullable: true, description: 'null when the site belongs to a masked supplier' })
  name: string | null;

  @ApiPropertyOptional({ type: Boolean, description: MASKED })
  masked?: boolean;

  @ApiProperty({ type: Number, description: 'time to recover if lost (days)' })
  ttrDays: number;

  @ApiProperty({ type: Number })
  baselineRisk: number;

  @ApiProperty({ type: String, enum: PROVENANCES })
  source: Provenance;

  @ApiProperty({ type: String, nullable: true })
  confirmedAt: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'GS1 location id (GLN / SGLN) as a canonical GS1 Digital Link, https://id.gs1.org/414/…; EPCIS events at it are tied to the site',
  })
  gln: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'null when the site supplies nothing' })
  tier: number | null;
}

export class Sku {
  @ApiProperty({ type: String })
  id: string;

  @ApiProperty({ type: String })
  name: string;

  @ApiProperty({ type: Number })
  dailyRevenue: number;

  @ApiProperty({ type: String, nullable: true })
  category: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'GTIN, 14 digits; lots of it (EPCIS) trace to this SKU' })
  gtin: string | null;

  @ApiProperty({ type: Number, enum: [0], description: 'a SKU is tier 0' })
  tier: 0;
}

/** One SUPPLIES edge of a SKU's supply tree. */
export class UpstreamEdge extends SupplyTerms {
  @ApiProperty({ type: String })
  fromSiteId: string;

  @ApiProperty({ type: String })
  supplierId: string;

  @ApiProperty({ type: String })
  country: string;

  @ApiProperty({ type: String, description: 'the site or SKU supplied' })
  toId: string;

  @ApiProperty({ type: String, enum: PROVENANCES })
  source: Provenance;

  @ApiProperty({ type: String, nullable: true })
  confirmedAt: string | null;
}

export class UpstreamTier {
  @ApiProperty({ type: Number })
  tier: number;

  @ApiProperty({ type: [UpstreamEdge] })
  edges: UpstreamEdge[];
}

/** A SKU's supply tree by tier. */
export class UpstreamTree {
  @ApiProperty({ type: String })
  skuId: string;

  @ApiProperty({ type: Number })
  depth: number;

  @ApiProperty({ type: [UpstreamTier] })
  tiers: UpstreamTier[];
}

/** A SKU that depends on a supplier. */
export class DownstreamSku {
  @ApiProperty({ type: String })
  skuId: string;

  @ApiProperty({ type: String })
  name: string;

  @ApiProperty({ type: Number })
  dailyRevenue: number;

  @ApiProperty({ type: Number, minimum: 0, maximum: 1, description: "largest product of shares over any path from the supplier's sites" })
  share: number;

  @ApiProperty({ type: Number, description: "fewest SUPPLIES hops from the supplier's sites" })
  hops: number;
}

export class SupplierDownstream {
  @ApiProperty({ type: String })
  supplierId: string;

  @ApiProperty({ type: [DownstreamSku] })
  skus: DownstreamSku[];
}

export class SupplierPage extends PageOf(Supplier) {}
export class SitePage extends PageOf(Site) {}
export class SkuPage extends PageOf(Sku) {}
