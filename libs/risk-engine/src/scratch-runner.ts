import { ConeSolver } from './cone-solver';
import { createState, type SolverState } from './solver-state';
import type { Projection } from './projection';

/**
 * Many small independent runs on one reused state (RXI, attribution): seed
 * sites, run, read the touched nodes, clear. Clearing costs only what the run
 * touched, so a run costs its own cone and allocates nothing.
 */
export class ScratchRunner {
  readonly state: SolverState;
  private readonly solver: ConeSolver;
  private readonly seeds: number[] = [];

  constructor(readonly projection: Projection) {
    this.state = createState(projection.nodeCount);
    this.solver = new ConeSolver(projection, this.state, { fresh: true });
  }

  /** Adds a direct impact (already combined) on a site for the next run. */
  seed(site: number, x: number, d: number): void {
    if (!(x > 0)) return;
    if (this.state.directX[site] === 0) this.seeds.push(site);
    this.state.directX[site] = x;
    this.state.directD[site] = d;
    this.solver.schedule(site);
  }

  run(): void {
    this.solver.run();
  }

  get touchedCount(): number {
    return this.solver.touchedCount;
  }

  /** The i-th node written by the last run. */
  touchedAt(i: number): number {
    return this.solver.touched[i];
  }

  get evaluations(): number {
    return this.solver.evaluations;
  }

  get cappedComponents(): number {
    return this.solver.cappedComponents;
  }

  /** Back to the bottom state everywhere the last run wrote. */
  clear(): void {
    this.solver.clearTouched(true);
    for (const site of this.seeds) {
      this.state.directX[site] = 0;
      this.state.directD[site] = 0;
    }
    this.seeds.length = 0;
  }
}

/**
 * Whole-graph runs on one reused state (a twin sample whose events reach a
 * good part of the network): set every site's direct impact, sweep, read the
 * state. A run overwrites every node, so nothing is cleared in between; a
 * site's direct impact stays until it is set again.
 */
export class SweepRunner {
  readonly state: SolverState;
  private readonly solver: ConeSolver;

  constructor(readonly projection: Projection) {
    this.state = createState(projection.nodeCount);
    this.solver = new ConeSolver(projection, this.state);
  }

  /** The direct impact (already combined) on a site for the next runs; x = 0 removes it. */
  setDirect(site: number, x: number, d: number): void {
    const hit = x > 0;
    this.state.directX[site] = hit ? x : 0;
    this.state.directD[site] = hit ? d : 0;
  }

  run(): void {
    this.solver.sweepAll();
  }
}
