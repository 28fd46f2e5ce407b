import { rmSync } from "node:fs";

/**
 * Temporary files and folders the running command created. They are removed when the command ends,
 * on an error (the callers' `finally`), and on Ctrl-C or SIGTERM, which also print one line.
 */
const tracked = new Set<string>();
let installed = false;
let interrupted: NodeJS.Signals | undefined;

export function trackTemporary(path: string): string {
  tracked.add(path);
  installHandlers();
  return path;
}

export function removeTemporary(path: string): void {
  rmSync(path, { recursive: true, force: true });
  tracked.delete(path);
}

/** Forgets a path that became permanent (a staging folder renamed into place). */
export function untrack(path: string): void {
  tracked.delete(path);
}

export function removeAllTemporary(): void {
  for (const path of [...tracked]) removeTemporary(path);
}

/** The signal received so far, if any. Synchronous work sees it at its next `await checkpoint()`. */
export function interruptedBy(): NodeJS.Signals | undefined {
  return interrupted;
}

/**
 * Lets a pending Ctrl-C be handled: synthesis is synchronous, so a signal is only delivered between
 * steps. Call it before anything that cannot be undone (replacing the output folder, running Terraform).
 */
export async function checkpoint(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

const EXIT_ON_SIGNAL: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/** Installed once at start, so a Ctrl-C lets running `finally` blocks finish before the exit. */
export function installHandlers(): void {
  if (installed) return;
  installed = true;
  for (const signal of Object.keys(EXIT_ON_SIGNAL) as NodeJS.Signals[]) {
    process.once(signal, () => {
      interrupted = signal;
      const count = tracked.size;
      removeAllTemporary();
      process.stderr.write(`shipyard: interrupted (${signal}); removed ${count} temporary folder(s), nothing was replaced\n`);
      process.exit(EXIT_ON_SIGNAL[signal]);
    });
  }
  process.once("exit", removeAllTemporary);
}
