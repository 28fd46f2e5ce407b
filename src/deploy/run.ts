import type { StepResult } from "./terraform";

export type Outcome =
  | { readonly stack: string; readonly status: StepResult }
  | { readonly stack: string; readonly status: "skipped"; readonly because: string };

/**
 * Runs `step` for every stack in `order`, at most `parallelism` at a time, each only after the stacks it
 * depends on (`dependencies`, within the selection) succeeded. A failure skips everything that depends
 * on it, directly or not; stacks that do not depend on it still run.
 */
export async function runInOrder(
  order: readonly string[],
  dependencies: ReadonlyMap<string, readonly string[]>,
  parallelism: number,
  step: (stack: string) => Promise<StepResult>,
  onDone: (outcome: Outcome) => void = () => {},
): Promise<Outcome[]> {
  const outcomes = new Map<string, Outcome>();
  const pending = [...order];
  const running = new Map<string, Promise<void>>();
  const ok = (s: string) => {
    const o = outcomes.get(s);
    return o !== undefined && o.status !== "failed" && o.status !== "skipped";
  };
  while (pending.length > 0 || running.size > 0) {
    for (let i = 0; i < pending.length && running.size < parallelism;) {
      const stack = pending[i]!;
      const deps = dependencies.get(stack) ?? [];
      const blocked = deps.find((d) => outcomes.has(d) && !ok(d));
      if (blocked) {
        const outcome: Outcome = {
          stack,
          status: "skipped",
          because: `${blocked} ${outcomes.get(blocked)!.status === "failed" ? "failed" : "was skipped"}`,
        };
        outcomes.set(stack, outcome);
        onDone(outcome);
        pending.splice(i, 1);
        i = 0; // a skip may unblock the decision for stacks later in the list
        continue;
      }
      if (deps.every(ok)) {
        pending.splice(i, 1);
        running.set(
          stack,
          step(stack).then(
            (status) => {
              const outcome: Outcome = { stack, status };
              outcomes.set(stack, outcome);
              running.delete(stack);
              onDone(outcome);
            },
            () => {
              const outcome: Outcome = { stack, status: "failed" };
              outcomes.set(stack, outcome);
              running.delete(stack);
              onDone(outcome);
            },
          ),
        );
        continue;
      }
      i++;
    }
    if (running.size > 0) await Promise.race(running.values());
    else if (pending.length > 0) throw new Error(`cannot schedule ${pending.join(", ")}: their dependencies are not in the run`);
  }
  return order.map((s) => outcomes.get(s)!);
}
