/**
 * Raised by a module when its props break a rule that must never pass (a secure default loosened
 * without a reason, an impossible combination). The CLI turns it into a one-line message with exit 2.
 */
export class ShipyardValidationError extends Error {
  /** Dotted path of the offending prop or config key, e.g. `nodeGroups[2].instanceTypes`. */
  public readonly path: string;
  /** What is wrong and what was expected, without the path. */
  public readonly problem: string;

  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`);
    this.name = "ShipyardValidationError";
    this.path = path;
    this.problem = problem;
  }
}
