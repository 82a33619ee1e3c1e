import { ApiProperty } from '@nestjs/swagger';
import { SITE_PRECISIONS, type SitePlacementView, type SitePrecision } from '@tiersight/contracts';
import { SitePlace } from '../openapi/supply-network.dto';

/**
 * A site's kind and place with how its pin was found (issue #18), shared by the
 * supplier's own site views and the analysts' (`GET /v1/sites`). A site placed
 * from an address by the onboarding carries the gazetteer's precision and
 * radius; a coarse pin waits for its supplier, who confirms it
 * (`POST /v1/portal/sites/:id/confirm-location`) or moves it (`PATCH` with new
 * lat/lon). Sites given as coordinates have null, null, false.
 */
export abstract class SitePin extends SitePlace implements SitePlacementView {
  @ApiProperty({
    type: String,
    enum: SITE_PRECISIONS,
    nullable: true,
    description:
      'how the pin was found from an address: a town, a province or state centre, a country centre; null when a person gave the coordinates (an import, the site form, a moved pin)',
  })
  locationPrecision: SitePrecision | null;

  @ApiProperty({ type: Number, nullable: true, description: 'how far the facility may be from the pin (km); null with locationPrecision' })
  locationRadiusKm: number | null;

  @ApiProperty({
    type: Boolean,
    description: 'true while the pin waits for the supplier: placed coarser than a town, or doubtful; cleared when the supplier confirms or moves it',
  })
  locationToConfirm: boolean;
}
