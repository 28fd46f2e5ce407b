// Environments at an organisation's scale, generated from a checked-in one, and the project folders that
// hold them: shared by the benchmark (`npm run bench -- --scale`), the token-strings test
// (__tests__/synth/token-strings.test.ts) and __tests__/bench/scale.test.ts, which checks that the
// benchmark's projects are projects the CLI accepts.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";

/**
 * Writes a project folder for the CLI at `dir`: the project's `cdktf.json` (which, with `environments/`,
 * is how the CLI finds a project root) and `environments/` holding only `files` (file name → text).
 * Everything else the CLI reads (its sources, `ci/pods/`) it finds beside itself.
 * @param {string} dir
 * @param {string} root the Shipyard checkout whose cdktf.json is copied
 * @param {Iterable<[string, string]>} files
 * @returns {string} dir
 */
export function writeProject(dir, root, files) {
  mkdirSync(path.join(dir, "environments"), { recursive: true });
  copyFileSync(path.join(root, "cdktf.json"), path.join(dir, "cdktf.json"));
  for (const [file, text] of files) writeFileSync(path.join(dir, "environments", file), text);
  return dir;
}

/**
 * The environment file `text` with `count` more applications, copies of its first one that differ in
 * name and ingress host (each brings its own Deployment, Service, Ingress, HPA, PodDisruptionBudget,
 * ServiceMonitor, SLO rules and alerts).
 * @param {string} text
 * @param {number} count
 * @returns {string}
 */
export function withExtraApplications(text, count) {
  const doc = parseDocument(text);
  const first = doc.getIn(["applications", 0]);
  if (!first) throw new Error("the environment has no application to copy");
  const template = first.toJSON();
  const env = String(doc.get("name"));
  for (let i = 1; i <= count; i++) {
    const name = `bench-app-${String(i).padStart(3, "0")}`;
    const app = { ...structuredClone(template), name };
    if (app.ingress) app.ingress.host = `${name}.${env}.bench.example.com`;
    doc.addIn(["applications"], doc.createNode(app));
  }
  return doc.toString();
}

/**
 * `count` environments copied from `text` (a staging-like file), named `bench-001` …, each with its own
 * VPC CIDR, deployer external ID and ECR repositories, as file name → text.
 * @param {string} text
 * @param {number} count
 * @returns {Map<string, string>}
 */
export function environmentCopies(text, count) {
  if (count > 150) throw new Error("at most 150 generated environments (one /16 each in 10.100.0.0-10.249.0.0)");
  const files = new Map();
  for (let i = 1; i <= count; i++) {
    const name = `bench-${String(i).padStart(3, "0")}`;
    const doc = parseDocument(text);
    doc.set("name", name);
    doc.setIn(["network", "cidr"], `10.${99 + i}.0.0/16`);
    if (doc.hasIn(["access", "deployer", "externalId"])) doc.setIn(["access", "deployer", "externalId"], `shipyard-${name}`);
    // ECR repository names are unique per account and region: each copy gets its own (`<name>/<repository>`),
    // and its applications pull from it.
    const repositories = new Map();
    for (const repository of doc.getIn(["ecr", "repositories"])?.items ?? []) {
      const own = `${name}/${String(repository.get("name")).split("/").pop()}`;
      repositories.set(repository.get("name"), own);
      repository.set("name", own);
    }
    for (const application of doc.get("applications")?.items ?? []) {
      const own = repositories.get(application.get("repository"));
      if (own) application.set("repository", own);
    }
    files.set(`${name}.yaml`, doc.toString());
  }
  return files;
}
