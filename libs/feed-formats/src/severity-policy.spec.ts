import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clampSeverity, DEFAULT_SEVERITY_POLICY, earthquakeRadiusKm, magnitudeBand } from './severity-policy';
import { severityPolicyMarkdown } from './severity-policy-table';

describe('severity policy', () => {
  const { earthquake } = DEFAULT_SEVERITY_POLICY;

  it('picks the magnitude band by its lower bound', () => {
    expect(magnitudeBand(3.9, earthquake.magnitudeBands).severity).toBe(0.02);
    expect(magnitudeBand(6, earthquake.magnitudeBands).severity).toBe(0.35);
    expect(magnitudeBand(9.1, earthquake.magnitudeBands).severity).toBe(0.9);
  });

  it('grows the earthquake radius by √10 per magnitude unit, within its clamps', () => {
    expect(earthquakeRadiusKm(7, earthquake.radius)).toBeCloseTo(100, 9);
    expect(earthquakeRadiusKm(8, earthquake.radius) / earthquakeRadiusKm(7, earthquake.radius)).toBeCloseTo(Math.sqrt(10), 9);
    expect(earthquakeRadiusKm(2, earthquake.radius)).toBe(5);
    expect(earthquakeRadiusKm(10, earthquake.radius)).toBe(1000);
  });

  it('clamps and rounds severities', () => {
    expect(clampSeverity(0.6 * 0.5 * 0.8)).toBe(0.24);
    expect(clampSeverity(1.2)).toBe(1);
    expect(clampSeverity(Number.NaN)).toBe(0);
  });

  it('keeps every default severity in [0, 1] and every duration positive', () => {
    const levels = [
      ...earthquake.magnitudeBands,
      ...Object.values(DEFAULT_SEVERITY_POLICY.usgs.pagerAlert),
      ...Object.values(DEFAULT_SEVERITY_POLICY.gdacs.alertLevels).flatMap((l) => Object.values(l)),
      ...Object.values(DEFAULT_SEVERITY_POLICY.cap.severity),
    ];
    for (const level of levels) {
      expect(level.severity).toBeGreaterThanOrEqual(0);
      expect(level.severity).toBeLessThanOrEqual(1);
      expect(level.durationDays).toBeGreaterThan(0);
    }
  });

  it('is documented in libs/feed-formats/README.md exactly as configured', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const section = /<!-- severity-policy:start -->\n([\s\S]*?)\n<!-- severity-policy:end -->/.exec(readme)?.[1];
    expect(section).toBe(severityPolicyMarkdown(DEFAULT_SEVERITY_POLICY));
  });
});
