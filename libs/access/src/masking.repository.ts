import { Injectable } from '@nestjs/common';
import { Neo4jService } from '@tiersight/graph';

// A supplier disclosed as masked, and every site it operates, is shown to the buyer's side without its name.
const MASKED_AMONG = `
UNWIND $ids AS id
OPTIONAL MATCH (sup:Supplier {id: id}) WHERE sup.visibility = 'masked'
OPTIONAL MATCH (:Supplier {visibility: 'masked'})-[:OPERATES]->(site:Site {id: id})
WITH id, sup, site WHERE sup IS NOT NULL OR site IS NOT NULL
RETURN collect(DISTINCT id) AS masked`;

@Injectable()
export class MaskingRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  /** The ids among `ids` that name a masked supplier or a site of one. */
  async maskedAmong(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const res = await this.neo4j.read((tx) => tx.run(MASKED_AMONG, { ids }));
    return new Set(res.records[0].get('masked') as string[]);
  }
}
