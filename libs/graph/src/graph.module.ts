import { Module } from '@nestjs/common';
import { ImportRepository } from './import/import.repository';
import { ImportService } from './import/import.service';
import { MigrationRunner } from './migration.runner';
import { Neo4jService } from './neo4j.service';
import { SupplyGraphRepository } from './read/supply-graph.repository';
import { SupplyNetworkReader } from './projection/supply-network.reader';
import { EventRepository } from './events/event.repository';
import { ExposureRepository } from './exposures/exposure.repository';
import { SupplyNetworkWriter } from './supply-network.writer';

/** Neo4j access: the driver, migrations, the import path and the read side. Needs ConfigModule. */
@Module({
  providers: [
    Neo4jService,
    MigrationRunner,
    SupplyNetworkWriter,
    ImportRepository,
    ImportService,
    SupplyGraphRepository,
    SupplyNetworkReader,
    EventRepository,
    ExposureRepository,
  ],
  exports: [Neo4jService, MigrationRunner, SupplyNetworkWriter, ImportService, SupplyGraphRepository, SupplyNetworkReader, EventRepository, ExposureRepository],
})
export class GraphModule {}
