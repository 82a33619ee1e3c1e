import { ApiProperty } from '@nestjs/swagger';
import { Exposure } from '../exposures/exposures.responses.dto';

/** The exposures the scenario's impacts would cause; nothing is stored. */
export class ScenarioResult {
  @ApiProperty({ type: Number, description: 'the graph version the scenario ran on' })
  graphVersion: number;

  @ApiProperty({ type: Number, description: 'sites the impacts reach' })
  impactedSites: number;

  @ApiProperty({ type: [Exposure] })
  exposures: Exposure[];
}
