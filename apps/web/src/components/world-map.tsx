import { geoArea, geoCircle, geoGraticule10, geoNaturalEarth1, geoPath } from 'd3-geo';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countries110m from 'world-atlas/countries-110m.json';
import type { EventArea } from '../types';

type WorldTopology = Topology<{ countries: GeometryCollection; land: GeometryCollection }>;

/** The world-atlas file is TopoJSON with `countries` and `land` geometry collections. */
function isWorldTopology(value: unknown): value is WorldTopology {
  if (typeof value !== 'object' || value === null) return false;
  const t = value as { type?: unknown; objects?: { countries?: { type?: unknown }; land?: { type?: unknown } } };
  return t.type === 'Topology' && t.objects?.countries?.type === 'GeometryCollection' && t.objects?.land?.type === 'GeometryCollection';
}

function worldTopology(value: unknown): WorldTopology {
  if (!isWorldTopology(value)) throw new Error('world-atlas countries-110m.json is not a TopoJSON topology with countries and land');
  return value;
}

/** Offline world outline (Natural Earth 1:110m via world-atlas), drawn once per page load. */
const topology = worldTopology(countries110m);
const land = feature(topology, topology.objects.land) as FeatureCollection;
const borders = mesh(topology, topology.objects.countries, (a, b) => a !== b);

const WIDTH = 960;
const HEIGHT = 500;

export interface MapArea {
  id: string;
  label: string;
  title: string;
  geometry: EventArea;
  radiusKm: number | null;
}

export interface MapSite {
  id: string;
  label: string;
  title: string;
  lat: number;
  lon: number;
  /** hit: inside an active event's area; path: on a critical path; plain: anything else. */
  kind: 'hit' | 'path' | 'plain';
}

/** A GeoJSON Point with a radius becomes a circle on the sphere; polygons are wound the way d3-geo expects. */
function areaFeature(a: MapArea): Feature | null {
  const g = a.geometry;
  if (g.type === 'Point') {
    const radiusDeg = Math.max(0.2, (a.radiusKm ?? 50) / 111.32);
    const circle = geoCircle()
      .center(g.coordinates as [number, number])
      .radius(radiusDeg)();
    return { type: 'Feature', properties: {}, geometry: circle };
  }
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') return null;
  const f: Feature<Polygon | MultiPolygon> = { type: 'Feature', properties: {}, geometry: g };
  // RFC 7946 rings run counter-clockwise; d3-geo reads that as "everything but the area".
  if (geoArea(f) > 2 * Math.PI) {
    const rings = (p: number[][][]) => p.map((ring) => [...ring].reverse());
    f.geometry =
      g.type === 'Polygon' ? { type: 'Polygon', coordinates: rings(g.coordinates) } : { type: 'MultiPolygon', coordinates: g.coordinates.map(rings) };
  }
  return f;
}

function Marker({ site, x, y }: { site: MapSite; x: number; y: number }) {
  // Shape carries the meaning (triangle = hit, diamond = critical path, circle = other); colour only repeats it.
  if (site.kind === 'hit') {
    return (
      <path class="site site-hit" d={`M${x},${y - 7}L${x + 6.5},${y + 5}L${x - 6.5},${y + 5}Z`}>
        <title>{site.title}</title>
      </path>
    );
  }
  if (site.kind === 'path') {
    return (
      <path class="site site-path" d={`M${x},${y - 7}L${x + 6},${y}L${x},${y + 7}L${x - 6},${y}Z`}>
        <title>{site.title}</title>
      </path>
    );
  }
  return (
    <circle class="site site-plain" cx={x} cy={y} r={3.5}>
      <title>{site.title}</title>
    </circle>
  );
}

/** An SVG world map of event areas and sites; the same facts are always listed in a table beside it. */
/** One entry of the map's legend: its symbol, then what it stands for. */
function LegendItem({ symbol, children }: { symbol: ComponentChildren; children: ComponentChildren }) {
  return (
    <li>
      <svg width="16" height="16" aria-hidden="true">
        {symbol}
      </svg>{' '}
      {children}
    </li>
  );
}

export function WorldMap({ areas, sites, caption }: { areas: MapArea[]; sites: MapSite[]; caption: string }) {
  const projection = useMemo(
    () =>
      geoNaturalEarth1().fitExtent(
        [
          [8, 8],
          [WIDTH - 8, HEIGHT - 8],
        ],
        { type: 'Sphere' },
      ),
    [],
  );
  const path = useMemo(() => geoPath(projection), [projection]);
  const base = useMemo(
    () => ({ sphere: path({ type: 'Sphere' }) ?? '', grid: path(geoGraticule10()) ?? '', land: path(land) ?? '', borders: path(borders) ?? '' }),
    [path],
  );
  const drawnAreas = areas.map((a) => ({ a, f: areaFeature(a) })).filter((x) => x.f !== null);
  const has = (kind: MapSite['kind']) => sites.some((s) => s.kind === kind);
  return (
    <figure class="map">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="map-caption" preserveAspectRatio="xMidYMid meet">
        <defs>
          <pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <line x1="0" y1="0" x2="0" y2="6" class="hatch-line" />
          </pattern>
        </defs>
        <path class="sphere" d={base.sphere} />
        <path class="graticule" d={base.grid} />
        <path class="land" d={base.land} />
        <path class="borders" d={base.borders} />
        {drawnAreas.map(({ a, f }) => {
          const d = path(f!) ?? '';
          const [cx, cy] = path.centroid(f!);
          return (
            <g key={a.id} class="event-area" data-event-id={a.id}>
              <path d={d}>
                <title>{a.title}</title>
              </path>
              {a.label && Number.isFinite(cx) && (
                <text x={cx} y={cy} class="area-label" text-anchor="middle" dominant-baseline="central">
                  {a.label}
                </text>
              )}
            </g>
          );
        })}
        {sites.map((s) => {
          const p = projection([s.lon, s.lat]);
          return p ? <Marker key={s.id} site={s} x={p[0]} y={p[1]} /> : null;
        })}
      </svg>
      <figcaption id="map-caption">{caption}</figcaption>
      <ul class="legend" aria-label="Map legend">
        {areas.length > 0 && (
          <LegendItem symbol={<rect width="16" height="16" class="legend-area" />}>event area (hatched, labelled E1, E2, … as in the events table)</LegendItem>
        )}
        {has('hit') && <LegendItem symbol={<path d="M8,1L14.5,13L1.5,13Z" class="site site-hit" />}>site hit by an event</LegendItem>}
        {has('path') && <LegendItem symbol={<path d="M8,1L14,8L8,15L2,8Z" class="site site-path" />}>site on a critical path</LegendItem>}
        {has('plain') && <LegendItem symbol={<circle cx="8" cy="8" r="4" class="site site-plain" />}>site</LegendItem>}
      </ul>
    </figure>
  );
}
