import { betaQuantile, normalQuantile, triangularQuantile } from './distributions';
import { Mt19937, sampleStream } from './sample-rng';
import { DRIVER_EVENT, type TwinPlan } from './twin-plan';

/**
 * Uniforms each driver takes from its sample's stream, whether it uses them
 * or not (presence, duration or recovery, severity), so one driver's
 * parameters never shift another driver's draws.
 */
export const UNIFORMS_PER_DRIVER = 3;

/** One sample's draws: presence per driver, and the (x, d) every hit takes (0, 0 when its driver is absent). */
export interface SampleDraw {
  readonly present: Uint8Array;
  readonly x: Float64Array;
  readonly d: Float64Array;
  /** Scratch: the severity of each level in this sample, and the generator reseeded per sample. */
  readonly levelValue: Float64Array;
  readonly rng: Mt19937;
}

export function createDraw(plan: TwinPlan): SampleDraw {
  const hits = plan.hitSite.length;
  return {
    present: new Uint8Array(plan.driverIds.length),
    x: new Float64Array(hits),
    d: new Float64Array(hits),
    levelValue: new Float64Array(plan.levelX.length),
    rng: new Mt19937([plan.seed, 0]),
  };
}

/**
 * Draws sample `index` into `out`. One draw per driver, shared by all its
 * sites (a common cause): a presence uniform (present when below p), one
 * uniform u_d for the duration and one u_x for the severity. Every site maps
 * the same uniforms through its *own* distribution:
 *
 * - duration: d = d̂_site · exp(σ · Φ⁻¹(u_d)), i.e. LogNormal(ln d̂_site, σ)
 *   with one normal quantile per event — every site's duration moves by the
 *   same factor;
 * - severity: x = F⁻¹(u_x) of Beta(κ·x̂_site, κ·(1 − x̂_site)), which has mean
 *   x̂_site. Sites with different estimates get different values, perfectly
 *   rank-correlated (a bad draw is bad everywhere). x̂ of 0 or 1 stays
 *   exact (the Beta degenerates there);
 * - a scenario site's recovery: the Triangular(low·ttr, ttr, high·ttr)
 *   quantile at u_d, x = 1.
 *
 * σ = 0, κ = 0 and a zero-width triangle return the estimate bit for bit,
 * which is why quantiles of one uniform are used rather than samplers.
 */
export function drawSample(plan: TwinPlan, index: number, out: SampleDraw): void {
  const rng = sampleStream(plan.seed, index, out.rng);
  const { hitStart, hitX, hitD, hitDrawn, hitLevel, levelX, levelStart } = plan;
  const { present, x, d, levelValue } = out;
  for (let k = 0; k < plan.driverIds.length; k++) {
    const uPresence = rng.uniform();
    const uDuration = rng.uniform();
    const uSeverity = rng.uniform();
    const on = uPresence < plan.probability[k];
    present[k] = on ? 1 : 0;
    const from = hitStart[k];
    const to = hitStart[k + 1];
    if (!on) {
      x.fill(0, from, to);
      d.fill(0, from, to);
      continue;
    }
    if (plan.driverKind[k] === DRIVER_EVENT) {
      const sigma = plan.sigma[k];
      const factor = sigma > 0 ? Math.exp(sigma * normalQuantile(uDuration)) : 1;
      const kappa = plan.kappa[k];
      for (let l = levelStart[k]; l < levelStart[k + 1]; l++) levelValue[l] = severity(levelX[l], kappa, uSeverity);
      for (let h = from; h < to; h++) {
        if (hitDrawn[h] === 1) {
          x[h] = levelValue[hitLevel[h]];
          d[h] = hitD[h] * factor;
        } else {
          x[h] = hitX[h];
          d[h] = hitD[h];
        }
      }
    } else {
      const low = plan.recoveryLow[k];
      const high = plan.recoveryHigh[k];
      for (let h = from; h < to; h++) {
        const ttr = hitD[h];
        x[h] = hitX[h];
        d[h] = triangularQuantile(uDuration, low * ttr, ttr, high * ttr);
      }
    }
  }
}

/** The Beta(κ·x̂, κ·(1 − x̂)) quantile at u; exact when κ = 0 or x̂ is 0 or 1. */
export function severity(mean: number, kappa: number, u: number): number {
  if (kappa === 0 || mean <= 0 || mean >= 1) return mean;
  return betaQuantile(u, kappa * mean, kappa * (1 - mean));
}
