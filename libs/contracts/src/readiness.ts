/**
 * A dependency check that a module adds to `/health/ready`. The health lib
 * runs every registered check with a timeout, so a module never needs to
 * depend on the health lib to report on itself.
 */
export interface ReadinessCheck {
  /** The key of this check in the readiness answer. */
  readonly name: string;
  /**
   * Advisory checks never make the process unready: a failure shows as
   * `state: "unknown"` with the message. A failure of any other check answers 503.
   */
  readonly advisory: boolean;
  /** The details shown under `name`; throws when the dependency cannot be checked. */
  probe(): Promise<Record<string, unknown>>;
}
