/**
 * The CDKTF app entry, run by `cdktf synth|diff|deploy` through cdktf.json. It builds the same stacks as
 * `shipyard synth`: every environment in environments/, or the ones named in SHIPYARD_ENVS (comma
 * separated), so a deploy can synthesize only the environment it ships.
 */
import { App } from "cdktf";
import { ConfigError, ENVIRONMENTS_DIR, loadEnvironments } from "./src/config";
import { buildApp, validateApp, withoutStackFormatting } from "./src/synth/synthesize";

const names = (process.env.SHIPYARD_ENVS ?? "")
  .split(",")
  .map((n) => n.trim())
  .filter(Boolean);
try {
  const app = new App({ stackTraces: false, skipValidation: true });
  // cdktf passes the output folder through the app's context (CDKTF_OUTDIR); local state paths are
  // computed relative to it.
  buildApp(app, loadEnvironments(ENVIRONMENTS_DIR, names), process.env.SHIPYARD_OUTDIR ?? "cdktf.out");
  validateApp(app);
  withoutStackFormatting(() => app.synth());
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  throw error;
}
