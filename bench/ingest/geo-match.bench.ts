/**
 * bench/ingest geo-matching — run by `npm run bench:ingest -- geo-match` against the bench Neo4j
 * (127.0.0.1:7688) holding the network `npm run bench:import` loaded (the `large` one: 250k sites).
 *
 * Matches seeded events (great-circle circles of realistic radii and polygons around
 * real site locations) with the platform's matcher (point index candidates, then the
 * exact test in JavaScript), and as the baseline with Cypher alone: the point index
 * (point.distance for a circle, point.withinBBox for a polygon's box) and the exact
 * test in the same statement (the haversine distance on the platform's sphere; ray
 * casting over the polygon's edges), only the matched ids coming back over Bolt. Both
 * must find the same sites (the process exits non-zero otherwise). Prints one JSON line.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import pino from 'pino';
import { BaseEnv, loadConfig } from '@tiersight/config';
import { EARTH_RADIUS_KM, EventGeometry } from '@tiersight/geo-engine';
import { EventRepository, Neo4jService } from '@tiersight/graph';
import { CliModule } from '../../tools/cli/cli.module';

const ROUNDS = 5;

/**
 * Neo4j measures WGS-84 distances on a sphere of 6,378,140 m; the platform on the mean
 * radius (DESIGN §3.1). The index seek takes the circle 1 % wider on Neo4j's sphere and
 * the exact test in the statement decides on the platform's.
 */
const NEO4J_EARTH_RADIUS_M = 6_378_140;
const CIRCLE = `
MATCH (s:Site)
WHERE point.distance(s.location, point({latitude: $lat, longitude: $lon})) <= $seekRadiusM
WITH s, s.location.latitude AS lat, s.location.longitude AS lon
WITH s, sin(radians(lat - $lat) / 2) ^ 2 + cos(radians($lat)) * cos(radians(lat)) * sin(radians(lon - $lon) / 2) ^ 2 AS a
WHERE 2 * $earthKm * asin(CASE WHEN sqrt(a) > 1 THEN 1.0 ELSE sqrt(a) END) <= $radiusKm
RETURN s.id AS id ORDER BY id`;
/** Even-odd ray casting over every edge of every ring (holes and the parts of a MultiPolygon included), candidates from the box. */
const POLYGON = `
MATCH (s:Site)
WHERE point.withinBBox(s.location, point({latitude: $south, longitude: $west}), point({latitude: $north, longitude: $east}))
WITH s, s.location.longitude AS x, s.location.latitude AS y
WHERE reduce(inside = false, e IN $edges |
  CASE WHEN (e[1] > y) <> (e[3] > y) AND x < (e[2] - e[0]) * (y - e[1]) / (e[3] - e[1]) + e[0] THEN NOT inside ELSE inside END)
RETURN s.id AS id ORDER BY id`;

/** The baseline's statement and parameters for an area (the bench draws no area across the antimeridian). */
function cypherMatch(area: EventGeometry): { query: string; params: Record<string, unknown> } {
  if (area.type === 'Point') {
    const [lon, lat] = area.coordinates;
    const seekRadiusM = ((area.radiusKm * 1000 * NEO4J_EARTH_RADIUS_M) / (EARTH_RADIUS_KM * 1000)) * 1.01;
    return { query: CIRCLE, params: { lat, lon, radiusKm: area.radiusKm, seekRadiusM, earthKm: EARTH_RADIUS_KM } };
  }
  if (area.type !== 'Polygon' && area.type !== 'MultiPolygon') throw new Error(`no baseline for ${area.type}`);
  const rings = area.type === 'Polygon' ? area.coordinates : area.coordinates.flat();
  const edges = rings.flatMap((ring) => ring.slice(1).map((p, i) => [ring[i][0], ring[i][1], p[0], p[1]]));
  const xs = rings.flat().map((p) => p[0]);
  const ys = rings.flat().map((p) => p[1]);
  return {
    query: POLYGON,
    params: { edges, west: Math.min(...xs), east: Math.max(...xs), south: Math.min(...ys), north: Math.max(...ys) },
  };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

/** Circles of 20–300 km (earthquakes, storms) and ≈1.5° boxes (floods) around seeded sites. */
function seededAreas(centres: Array<{ lat: number; lon: number }>, count: number): EventGeometry[] {
  let s = 4242;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return Array.from({ length: count }, (_, i) => {
    const c = centres[Math.floor(rnd() * centres.length)];
    if (i % 3 === 2) {
      const h = 0.4 + rnd() * 1.1;
      const ring = [
        [c.lon - h, c.lat - h],
        [c.lon + h, c.lat - h],
        [c.lon + h, c.lat + h],
        [c.lon - h, c.lat + h],
        [c.lon - h, c.lat - h],
      ];
      return { type: 'Polygon', coordinates: [ring] } as EventGeometry;
    }
    return { type: 'Point', coordinates: [c.lon, c.lat], radiusKm: 20 + rnd() * 280 } as EventGeometry;
  });
}

async function main() {
  const config = loadConfig(BaseEnv);
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config, pino({ level: 'warn' })), { logger: false });
  const neo4j = app.get(Neo4jService);
  const events = app.get(EventRepository);
  await neo4j.verify();
  try {
    const sample = await neo4j.run('MATCH (s:Site) WITH s LIMIT 5000 RETURN s.location.latitude AS lat, s.location.longitude AS lon');
    const centres = sample.records.map((r) => ({ lat: r.get('lat') as number, lon: r.get('lon') as number }));
    const siteCount = Number((await neo4j.run('MATCH (s:Site) RETURN count(s) AS n')).records[0].get('n'));
    const areas = seededAreas(centres, 30);

    const platform: number[] = [];
    const cypher: number[] = [];
    let hits = 0;
    let mismatches = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const area of areas) {
        let t0 = process.hrtime.bigint();
        const indexed = await events.sitesInside(area);
        platform.push(ms(t0));

        t0 = process.hrtime.bigint();
        const { query, params } = cypherMatch(area);
        const matched = (await neo4j.query(query, params)).records.map((r) => r.get('id') as string);
        cypher.push(ms(t0));

        if (round === 0) {
          hits += indexed.length;
          // The platform sorts by code unit, Cypher by string order: the same for these ids, compared as sets anyway.
          if (indexed.join() !== [...matched].sort().join()) mismatches++;
        }
      }
    }
    const platformMedianMs = median(platform);
    const cypherMedianMs = median(cypher);
    process.stdout.write(
      `${JSON.stringify({ sites: siteCount, events: areas.length, rounds: ROUNDS, meanHitsPerEvent: hits / areas.length, mismatches, platformMedianMs, cypherMedianMs, ratio: cypherMedianMs / platformMedianMs })}\n`,
    );
  } finally {
    await app.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
