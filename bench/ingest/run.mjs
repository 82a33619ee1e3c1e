// npm run bench:ingest [-- <part> [options]] — ingest benchmarks, one file per part.
//   telemetry  SenML readings through HTTP and the worker vs the same readings written straight into Redis
//   geo-match  one event matched against the bench network's 250k sites: point index vs a plain scan
//              (needs the network `npm run bench:import` left in the bench Neo4j)
// With no part named, every part runs in turn.
const PARTS = {
  telemetry: () => import('./telemetry.mjs'),
  'geo-match': () => import('./geo-match.mjs'),
};

const [first, ...rest] = process.argv.slice(2);
const named = first && !first.startsWith('-') ? first : null;
const args = named ? rest : process.argv.slice(2);
if (named && !PARTS[named]) {
  console.error(`bench:ingest: unknown part "${named}" (parts: ${Object.keys(PARTS).join(', ')})`);
  process.exit(2);
}
try {
  for (const part of named ? [named] : Object.keys(PARTS)) {
    const { run } = await PARTS[part]();
    await run(args);
  }
} catch (error) {
  console.error(`bench:ingest: ${error.message}`);
  process.exit(1);
}
