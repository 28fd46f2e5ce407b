import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { JENKINS_CREDENTIALS, PROD_APPROVERS_VARIABLE, REFERENCE_DATA_VARIABLE } from "../../src/generate/jenkins";
import { requireTool } from "../support/tools";
import { groovy, ROOT } from "./support/groovy";

/**
 * The Jenkinsfile, run by Groovy under a stub of the declarative DSL (support/DeclarativeStub.groovy):
 * which stages a build of each kind runs, and with which guards. The tables below are the specification.
 */

interface StageRow {
  stage: string;
  runs: boolean;
  agent: string | null;
  lock: string | null;
  timeout: string | null;
  submitter: string | null;
  beforeInput: boolean;
  milestone: number | null;
  retry: string[] | null;
  steps: string[];
  credentials: string[];
}
interface Run {
  agent: string;
  abortPrevious: boolean;
  cron: string;
  options: string[];
  post: string[];
  stages: StageRow[];
}

/** The controller's configuration (generated from environments/tools.yaml), which the Jenkinsfile relies on. */
const casc = parse(readFileSync(join(ROOT, "generated", "jenkins", "tools", "casc.yaml"), "utf8"));
const globalVars = Object.fromEntries(
  casc.jenkins.globalNodeProperties[0].envVars.env.map((v: { key: string; value: string }) => [v.key, v.value]),
) as Record<string, string>;

const SCENARIOS = {
  "pull request": { BRANCH_NAME: "PR-42", CHANGE_ID: "42", CHANGE_TARGET: "main", cause: "BranchEventCause" },
  main: { BRANCH_NAME: "main", cause: "BranchEventCause" },
  "release tag": { BRANCH_NAME: "v1.4.0", TAG_NAME: "v1.4.0", cause: "BranchEventCause" },
  "other tag": { BRANCH_NAME: "v1.4.0-rc1", TAG_NAME: "v1.4.0-rc1", cause: "BranchEventCause" },
  nightly: { BRANCH_NAME: "main", cause: "TimerTrigger" },
  "feature branch": { BRANCH_NAME: "feature/faster-synth", cause: "BranchEventCause" },
} as const;
type Scenario = keyof typeof SCENARIOS;

/** The stages each kind of build runs, in order. */
const EXPECTED_STAGES: Record<Scenario, string[]> = {
  "pull request": ["Build and test", "Review"],
  main: [
    "Build and test",
    "Image",
    "dev",
    "dev / Deploy dev",
    "dev / Ansible dev",
    "dev / Smoke test dev",
    "staging",
    "staging / Deploy staging",
    "staging / Ansible staging",
    "staging / Smoke test staging",
  ],
  "release tag": [
    "Build and test",
    "Image",
    "Plan prod",
    "Approve prod",
    "prod",
    "prod / Deploy prod",
    "prod / Ansible prod",
    "prod / Smoke test prod",
  ],
  "other tag": ["Build and test"],
  nightly: ["Build and test", "Drift"],
  "feature branch": ["Build and test"],
};

/** Every stage's guards: `agent pod | lock | input submitter | timeout | milestone | commands | credential IDs`. */
const EXPECTED_GUARDS: Record<string, string> = {
  "Build and test": "ci/pods/build.yaml | - | - | 30 MINUTES | - | ci/build.sh | -",
  Review: "ci/pods/build.yaml | - | - | 20 MINUTES | - | ci/pr-review.sh | github-app",
  Image:
    "ci/pods/image.yaml | - | - | 40 MINUTES | - | ci/image.sh targets, ci/image.sh build, ci/image.sh scan, ci/image.sh login, ci/image.sh push | -",
  dev: "ci/pods/deploy.yaml | shipyard-env-dev | - | 90 MINUTES | - | - | -",
  "dev / Deploy dev": "ci/pods/deploy.yaml | shipyard-env-dev | - | 90 MINUTES | 10 | ci/deploy.sh dev | tfc-token-nonprod, github-app",
  "dev / Ansible dev": "ci/pods/deploy.yaml | shipyard-env-dev | - | 90 MINUTES | - | ci/ansible.sh dev | -",
  "dev / Smoke test dev": "ci/pods/deploy.yaml | shipyard-env-dev | - | 90 MINUTES | - | ci/smoke-test.sh dev | -",
  staging: "ci/pods/deploy.yaml | shipyard-env-staging | - | 90 MINUTES | - | - | -",
  "staging / Deploy staging":
    "ci/pods/deploy.yaml | shipyard-env-staging | - | 90 MINUTES | 20 | ci/deploy.sh staging | tfc-token-nonprod, github-app",
  "staging / Ansible staging": "ci/pods/deploy.yaml | shipyard-env-staging | - | 90 MINUTES | - | ci/ansible.sh staging | -",
  "staging / Smoke test staging": "ci/pods/deploy.yaml | shipyard-env-staging | - | 90 MINUTES | - | ci/smoke-test.sh staging | -",
  "Plan prod": "ci/pods/deploy.yaml | - | - | 30 MINUTES | - | ci/plan.sh prod, ci/release-notes.sh | tfc-token-prod",
  // The approval holds no agent and no lock; only prod-approvers may answer; it gives up after a day.
  "Approve prod": "none | - | prod-approvers | 24 HOURS | - | - | -",
  // The prod lock is taken by the stage after the approval.
  prod: "ci/pods/deploy.yaml | shipyard-env-prod | - | 120 MINUTES | - | - | -",
  "prod / Deploy prod": "ci/pods/deploy.yaml | shipyard-env-prod | - | 120 MINUTES | 30 | ci/deploy.sh prod | tfc-token-prod, github-app",
  "prod / Ansible prod": "ci/pods/deploy.yaml | shipyard-env-prod | - | 120 MINUTES | - | ci/ansible.sh prod | -",
  "prod / Smoke test prod": "ci/pods/deploy.yaml | shipyard-env-prod | - | 120 MINUTES | - | ci/smoke-test.sh prod | -",
  Drift: "ci/pods/deploy.yaml | - | - | 60 MINUTES | - | ci/drift.sh | tfc-token-nonprod, tfc-token-prod",
};

const guards = (r: StageRow) =>
  [r.agent, r.lock, r.submitter, r.timeout, r.milestone, r.steps.join(", "), r.credentials.join(", ")]
    .map((v) => (v === null || v === "" ? "-" : String(v)))
    .join(" | ");

const hasGroovy = requireTool("groovy");

describe.skipIf(!hasGroovy)("Jenkinsfile under the declarative stub", () => {
  const runs = {} as Record<Scenario, Run>;
  beforeAll(() => {
    const names = Object.keys(SCENARIOS) as Scenario[];
    const scenarios = names.map((n) => ({ ...globalVars, ...SCENARIOS[n] }));
    const out = JSON.parse(
      groovy(join(__dirname, "support", "DeclarativeStub.groovy"), [join(ROOT, "Jenkinsfile"), JSON.stringify(scenarios)]),
    ) as Run[];
    names.forEach((n, i) => (runs[n] = out[i]!));
  }, 400_000);

  it.each(Object.keys(SCENARIOS) as Scenario[])("a %s build runs exactly its stages", (scenario) => {
    expect(runs[scenario].stages.filter((s) => s.runs).map((s) => s.stage)).toEqual(EXPECTED_STAGES[scenario]);
  });

  it("every stage has the expected agent, lock, approval, timeout, milestone, commands and credentials", () => {
    const table = Object.fromEntries(runs.main.stages.map((s) => [s.stage, guards(s)]));
    expect(table).toEqual(EXPECTED_GUARDS);
  });

  it("holds no executor at the top, and only pull requests abort their previous build", () => {
    expect(runs.main.agent).toBe("none");
    expect(runs["pull request"].abortPrevious).toBe(true);
    expect(runs.main.abortPrevious).toBe(false);
    expect(runs["release tag"].abortPrevious).toBe(false);
    expect(runs.main.options).toEqual(expect.arrayContaining(["buildDiscarder", "disableConcurrentBuilds", "timestamps", "timeout"]));
    expect(runs.main.post).toEqual(["always"]);
  });

  it("runs the nightly drift cron on main only", () => {
    expect(runs.main.cron).toMatch(/^H \d+ \* \* \*$/);
    expect(runs["pull request"].cron).toBe("");
    expect(runs["feature branch"].cron).toBe("");
  });

  it("retries only stages that change nothing when their agent pod is lost, and never a deploy", () => {
    for (const s of runs.main.stages) {
      if (s.retry) expect(s.retry).toEqual(["kubernetesAgent", "nonresumable"]);
      const changes = s.steps.some((c) => /ci\/(deploy|ansible|smoke-test)\.sh/.test(c));
      if (changes || s.lock) expect(s.retry, s.stage).toBeNull();
    }
  });

  it("uses only the locks and credential IDs the generated controller configuration declares", () => {
    const declared = casc.unclassified.lockableResourcesManager.declaredResources.map((r: { name: string }) => r.name);
    const locks = [
      ...new Set(
        runs["release tag"].stages
          .concat(runs.main.stages)
          .map((s) => s.lock)
          .filter(Boolean),
      ),
    ].sort();
    expect(locks).toEqual(declared);
    const ids = new Set(
      [...runs.main.stages, ...runs.nightly.stages, ...runs["pull request"].stages, ...runs["release tag"].stages].flatMap(
        (s) => s.credentials,
      ),
    );
    for (const id of ids) expect(Object.values(JENKINS_CREDENTIALS)).toContain(id);
    expect(readFileSync(join(ROOT, "Jenkinsfile"), "utf8")).toContain(`tokenCredentialId: '${JENKINS_CREDENTIALS.slack}'`);
  });

  it("gives every build the variables the stage scripts read: the prod approvers and the reference data repository", () => {
    const tools = parse(readFileSync(join(ROOT, "environments", "tools.yaml"), "utf8"));
    expect(globalVars).toEqual({
      [PROD_APPROVERS_VARIABLE]: tools.ci.jenkins.security.prodApprovers.join(","),
      [REFERENCE_DATA_VARIABLE]: tools.ci.jenkins.referenceDataGit,
    });
    expect(readFileSync(join(ROOT, "ci", "lib.sh"), "utf8")).toContain(`\${${REFERENCE_DATA_VARIABLE}:-}`);
  });

  it("evaluates the approval's condition before the input, so other builds are never asked", () => {
    const approve = runs["release tag"].stages.find((s) => s.stage === "Approve prod")!;
    expect(approve.beforeInput).toBe(true);
  });

  it("puts a timeout on every stage and a milestone inside each environment's lock", () => {
    for (const s of runs.main.stages) expect(s.timeout, s.stage).not.toBeNull();
    const deploys = runs.main.stages.filter((s) => s.steps.some((c) => c.startsWith("ci/deploy.sh")));
    expect(deploys.map((s) => [s.lock, s.milestone])).toEqual([
      ["shipyard-env-dev", 10],
      ["shipyard-env-staging", 20],
      ["shipyard-env-prod", 30],
    ]);
  });
});
