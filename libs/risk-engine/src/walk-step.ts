import { isRoot, orderedCandidates } from './critical-path';
import type { RiskView } from './risk-view';

/** The node states a critical-path step reads: its own direct x and its inputs' x and d. */
export type StepInputs = Pick<RiskView, 'projection' | 'x' | 'd' | 'directX'>;

/**
 * Whether a critical-path walk standing on `v` does the same there under two
 * states: both stop (the stop rule), or both try the same in-edges in the same
 * order. A walk is a function of these steps and of the states of the nodes on
 * its path, so a node whose step is the same moves no walk through it.
 */
export function sameWalkStep(before: StepInputs, after: StepInputs, v: number): boolean {
  // The walk reads only these fields; the rest of a RiskView is not needed.
  const a = before as RiskView;
  const b = after as RiskView;
  const rootBefore = isRoot(a, v);
  if (rootBefore !== isRoot(b, v)) return false;
  if (rootBefore) return true;
  const x = orderedCandidates(a, v);
  const y = orderedCandidates(b, v);
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
