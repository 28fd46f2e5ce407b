// Environments at an organisation's scale, generated from a checked-in one: shared by the benchmark
// (`npm run bench -- --scale`) and by the synthesis scale test (__tests__/synth/scale.test.ts).
import { parseDocument } from "yaml";

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
 * VPC CIDR and deployer external ID, as file name → text.
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
    files.set(`${name}.yaml`, doc.toString());
  }
  return files;
}
