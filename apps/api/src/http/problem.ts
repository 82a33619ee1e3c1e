import type { Response } from 'express';

/** RFC 9457 problem details. `type` is a stable URI per kind of problem. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId?: string;
  errorId?: string;
  errors?: unknown[];
  /** A 503 of /health/ready: each readiness check with its state. */
  checks?: Record<string, unknown>;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const problemType = (slug: string) => `https://tiersight.dev/problems/${slug}`;

export function sendProblem(res: Response, problem: Problem): void {
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}
