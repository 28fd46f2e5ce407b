/**
 * Process entry point (`node dist/main.js`, the image's ENTRYPOINT): read the settings, start the
 * server, turn SIGTERM/SIGINT into a graceful shutdown.
 *
 * Exit codes: 0 drained in time; 1 listen failure, crash, or shutdown grace period exceeded;
 * 2 invalid settings (one line per invalid variable on stderr, no stack trace).
 */
import { createLogger, describeError } from "./logger";
import { start } from "./server";
import { loadSettings, SettingsError, type Settings } from "./settings";

const PROGRAM = "shipyard-sample-app";

function readSettings(): Settings {
  try {
    return loadSettings(process.env);
  } catch (error) {
    if (error instanceof SettingsError) {
      for (const problem of error.problems) process.stderr.write(`${PROGRAM}: ${problem.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const settings = readSettings();
  const logger = createLogger({ level: settings.logLevel });

  const crash = (what: string) => (error: unknown) => {
    logger.error(what, { error: describeError(error) });
    process.exit(1);
  };
  process.on("uncaughtException", crash("uncaught exception"));
  process.on("unhandledRejection", crash("unhandled promise rejection"));

  try {
    await start(settings, { logger });
  } catch (error) {
    logger.error("could not start the server", { host: settings.host, port: settings.port, error: describeError(error) });
    process.exit(1);
  }
}

void main();
