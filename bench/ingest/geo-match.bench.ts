/**
 * bench/ingest geo-matching — run by `npm run bench:ingest -- geo-match` against the bench Neo4j
 * (127.0.0.1:7688) holding the network `npm run bench:import` loaded (the `large` one: 250k sites).
 *
 * Matches seeded events (great-circle circles of realistic radii and polygons around
 * real site locations) with the platform's matcher (point index candidates, then the
 * exact test), and as the baseline with a plain scan (every site's location read and
 * tested); both must find the same sites. Prints one JSON line.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import pino from 'pino';
import { BaseEnv, loadConfig } from '@tiersight/config';
import { containsLocation, EventGeometry } from '@tiersight/geo-engine';
import { EventRepository, Neo4jService } from '@tiersight/graph';
import { CliModule } from '../../tools/cli/cli.module';

const ROUNDS = 5;
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
    const scan: number[] = [];
    let hits = 0;
    let mismatches = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const area of areas) {
        let t0 = process.hrtime.bigint();
        const indexed = await events.sitesInside(area);
        platform.push(ms(t0));

        t0 = process.hrtime.bigint();
        const all = await neo4j.run('MATCH (s:Site) RETURN s.id AS id, s.location.latitude AS lat, s.location.longitude AS lon');
        const scanned = all.records
          .filter((r) => containsLocation(area, r.get('lat'), r.get('lon')))
          .map((r) => r.get('id') as string)
          .sort();
        scan.push(ms(t0));

        if (round === 0) {
          hits += indexed.length;
          if (indexed.join() !== scanned.join()) mismatches++;
        }
      }
    }
    const platformMedianMs = median(platform);
    const scanMedianMs = median(scan);
    process.stdout.write(
      `${JSON.stringify({ sites: siteCount, events: areas.length, rounds: ROUNDS, meanHitsPerEvent: hits / areas.length, mismatches, platformMedianMs, scanMedianMs, ratio: scanMedianMs / platformMedianMs })}\n`,
    );
  } finally {
    await app.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
