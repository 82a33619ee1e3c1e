import { ApiProperty, OmitType } from '@nestjs/swagger';
import { PageOf } from '../openapi/page.dto';
import { OnboardingList, OnboardingProposedSite, OnboardingRow } from '../analyst/onboarding/onboarding.responses.dto';

/** The site a row of your list becomes. */
export class PortalOnboardingSite extends OmitType(OnboardingProposedSite, ['id', 'exists']) {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'one of your sites this row updates (the same name, address and country as a list before); null: a new site, its id given at the confirm',
  })
  id: string | null;

  @ApiProperty({ description: 'the row is one of your sites already: confirming updates it' })
  exists: boolean;
}

/** A row of your list: every row is one of your sites (no supplier is proposed); duplicates are proposed against your own sites only. */
export class PortalOnboardingRow extends OmitType(OnboardingRow, ['supplier', 'site']) {
  @ApiProperty({ type: PortalOnboardingSite, nullable: true, description: 'null while the row lacks a name or a country' })
  site: PortalOnboardingSite | null;
}

export class PortalOnboardingRowPage extends PageOf(PortalOnboardingRow) {}

export class PortalOnboardingList extends OmitType(OnboardingList, ['rows']) {
  @ApiProperty({ type: PortalOnboardingRowPage, nullable: true, description: 'once ready: a page of rows in file order (`limit`, `cursor`)' })
  rows: PortalOnboardingRowPage | null;
}
