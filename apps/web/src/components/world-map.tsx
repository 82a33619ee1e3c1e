import { geoArea, geoCircle, geoGraticule10, geoNaturalEarth1, geoPath } from 'd3-geo';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { ComponentChildren } from 'preact';
import { useMemo, useRef } from 'preact/hooks';
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
/** Kilometres per degree of a great circle. */
const KM_PER_DEGREE = 111.32;

/** Coordinates picked on the map, to 4 decimals (about 10 m: finer than a click can mean). */
const round = (v: number) => Math.round(v * 1e4) / 1e4;

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
  /**
   * hit: inside an active event's area; path: on a critical path; plain: anything else.
   * Pins of a list under review: placed (at a town or city), coarse (at a province or country centre), set (by a person).
   */
  kind: 'hit' | 'path' | 'plain' | 'placed' | 'coarse' | 'set';
  /** How far the facility may be from the point: drawn as a dashed circle around it. */
  radiusKm?: number;
}

/** A point on the map, in degrees. */
export interface LatLon {
  lat: number;
  lon: number;
}

/** Options of a map that shows pins to review: labels beside the pins, a view around one place, picking a point. */
export interface MapOptions {
  /** Draw each site's label beside it (sites at one point share one label: "3, 5"). */
  labelled?: boolean;
  /** Show this much of the world around a point instead of all of it. */
  focus?: (LatLon & { km: number }) | null;
  /** Clicking the map calls this with the point clicked (a pointer shortcut; the page offers typed coordinates too). */
  onPick?: (point: LatLon) => void;
}

/** A GeoJSON Point with a radius becomes a circle on the sphere; polygons are wound the way d3-geo expects. */
function areaFeature(a: MapArea): Feature | null {
  const g = a.geometry;
  if (g.type === 'Point') {
    const radiusDeg = Math.max(0.2, (a.radiusKm ?? 50) / KM_PER_DEGREE);
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

/** A five-pointed star of outer radius r around (x, y), as an SVG path. */
function star(x: number, y: number, r: number): string {
  const points = Array.from({ length: 10 }, (_, i) => {
    const a = (Math.PI / 5) * i - Math.PI / 2;
    const d = i % 2 === 0 ? r : r * 0.45;
    return `${(x + d * Math.cos(a)).toFixed(1)},${(y + d * Math.sin(a)).toFixed(1)}`;
  });
  return `M${points.join('L')}Z`;
}

function Marker({ site, x, y }: { site: MapSite; x: number; y: number }) {
  // Shape carries the meaning (triangle = hit, diamond = critical path, circle = other;
  // pins under review: dot = a town or city, hollow square = a province or country centre, star = set by a person); colour only repeats it.
  if (site.kind === 'placed') {
    return (
      <circle class="site site-placed" cx={x} cy={y} r={5} data-id={site.id}>
        <title>{site.title}</title>
      </circle>
    );
  }
  if (site.kind === 'coarse') {
    return (
      <rect class="site site-coarse" x={x - 6} y={y - 6} width={12} height={12} data-id={site.id}>
        <title>{site.title}</title>
      </rect>
    );
  }
  if (site.kind === 'set') {
    return (
      <path class="site site-set" d={star(x, y, 8)} data-id={site.id}>
        <title>{site.title}</title>
      </path>
    );
  }
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

/** Sites at one drawn point share one label, so "3" and "5" on top of each other read "3, 5". */
function labelGroups(points: { site: MapSite; x: number; y: number }[]): { key: string; x: number; y: number; text: string }[] {
  const groups = new Map<string, { key: string; x: number; y: number; labels: string[] }>();
  for (const { site, x, y } of points) {
    const key = `${Math.round(x / 6)}:${Math.round(y / 6)}`;
    const group = groups.get(key);
    if (group) group.labels.push(site.label);
    else groups.set(key, { key, x, y, labels: [site.label] });
  }
  return [...groups.values()].map((g) => ({ key: g.key, x: g.x, y: g.y, text: g.labels.join(', ') }));
}

export function WorldMap({ areas, sites, caption, labelled, focus, onPick }: { areas: MapArea[]; sites: MapSite[]; caption: string } & MapOptions) {
  const svg = useRef<SVGSVGElement>(null);
  const projection = useMemo(() => {
    const extent: [[number, number], [number, number]] = [
      [8, 8],
      [WIDTH - 8, HEIGHT - 8],
    ];
    if (!focus) return geoNaturalEarth1().fitExtent(extent, { type: 'Sphere' });
    const around = geoCircle()
      .center([focus.lon, focus.lat])
      .radius(Math.min(80, Math.max(1, focus.km / KM_PER_DEGREE)))();
    return geoNaturalEarth1().fitExtent(extent, { type: 'Feature', properties: {}, geometry: around });
  }, [focus?.lat, focus?.lon, focus?.km]);
  const path = useMemo(() => geoPath(projection), [projection]);
  const base = useMemo(
    () => ({ sphere: path({ type: 'Sphere' }) ?? '', grid: path(geoGraticule10()) ?? '', land: path(land) ?? '', borders: path(borders) ?? '' }),
    [path],
  );
  const drawnAreas = areas.map((a) => ({ a, f: areaFeature(a) })).filter((x) => x.f !== null);
  const has = (kind: MapSite['kind']) => sites.some((s) => s.kind === kind);
  const points = sites.flatMap((site) => {
    const p = projection([site.lon, site.lat]);
    return p ? [{ site, x: p[0], y: p[1] }] : [];
  });
  const radii = sites.filter((s) => s.radiusKm !== undefined && s.radiusKm > 0);
  const pick = (e: MouseEvent) => {
    const matrix = svg.current?.getScreenCTM();
    if (!onPick || !svg.current || !matrix) return;
    const at = new DOMPoint(e.clientX, e.clientY).matrixTransform(matrix.inverse());
    const lonLat = projection.invert?.([at.x, at.y]);
    if (!lonLat || !lonLat.every(Number.isFinite) || Math.abs(lonLat[1]) > 90) return;
    onPick({ lat: round(lonLat[1]), lon: round(((((lonLat[0] + 180) % 360) + 360) % 360) - 180) });
  };
  return (
    <figure class={onPick ? 'map pickable' : 'map'}>
      <svg
        ref={svg}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby="map-caption"
        preserveAspectRatio="xMidYMid meet"
        onClick={onPick ? pick : undefined}
      >
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
        {radii.map((s) => {
          const circle = geoCircle()
            .center([s.lon, s.lat])
            .radius(s.radiusKm! / KM_PER_DEGREE)();
          return <path key={`r-${s.id}`} class="site-radius" d={path(circle) ?? ''} />;
        })}
        {points.map(({ site, x, y }) => (
          <Marker key={site.id} site={site} x={x} y={y} />
        ))}
        {labelled &&
          labelGroups(points).map((g) => (
            <text key={g.key} x={g.x + 9} y={g.y - 7} class="site-label">
              {g.text}
            </text>
          ))}
      </svg>
      <figcaption id="map-caption">{caption}</figcaption>
      <ul class="legend" aria-label="Map legend">
        {areas.length > 0 && (
          <LegendItem symbol={<rect width="16" height="16" class="legend-area" />}>event area (hatched, labelled E1, E2, … as in the events table)</LegendItem>
        )}
        {has('hit') && <LegendItem symbol={<path d="M8,1L14.5,13L1.5,13Z" class="site site-hit" />}>site hit by an event</LegendItem>}
        {has('path') && <LegendItem symbol={<path d="M8,1L14,8L8,15L2,8Z" class="site site-path" />}>site on a critical path</LegendItem>}
        {has('plain') && <LegendItem symbol={<circle cx="8" cy="8" r="4" class="site site-plain" />}>site</LegendItem>}
        {has('placed') && <LegendItem symbol={<circle cx="8" cy="8" r="5" class="site site-placed" />}>pin at a town or city</LegendItem>}
        {has('coarse') && (
          <LegendItem symbol={<rect x="2.5" y="2.5" width="11" height="11" class="site site-coarse" />}>
            pin at a province or country centre (to confirm)
          </LegendItem>
        )}
        {has('set') && <LegendItem symbol={<path d={star(8, 8, 7.5)} class="site site-set" />}>pin set by a person</LegendItem>}
        {radii.length > 0 && (
          <LegendItem symbol={<circle cx="8" cy="8" r="6.5" class="site-radius" />}>dashed circle: how far the facility may be from its pin</LegendItem>
        )}
      </ul>
    </figure>
  );
}
