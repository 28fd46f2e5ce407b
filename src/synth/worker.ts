/**
 * Entry of the child processes that synthesize a share of the environments (see parallel.ts):
 * `node synth-worker.js <job-file>`. bin/shipyard.js bundles it beside the CLI.
 */
import { runWorkerJob } from "./parallel";
import { synthesizeSequential } from "./synthesize";

process.exitCode = runWorkerJob(process.argv[2]!, synthesizeSequential);
