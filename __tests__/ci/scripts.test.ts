import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { requireTool } from "../support/tools";
import { ROOT } from "./support/groovy";
import { runScript, sandbox, SECRETS, type Sandbox, type ScriptRun } from "./support/standins";
import { tempDir } from "../support/temp-dirs";
import { projectCopy } from "../support/project-copy";
import { REFERENCE_DATA_VARIABLE } from "../../src/generate/jenkins";

/**
 * The stage scripts (ci/*.sh), run for real with stand-ins for the outside tools on PATH that record their
 * arguments: what each script calls, in which order, what it refuses, and that no credential is printed or
 * written.
 */

const SCRIPTS = readdirSync(join(ROOT, "ci")).filter((f) => f.endsWith(".sh"));
/** The project's other shell: the CI entry point and the helper scripts. */
const OTHER_SHELL = [".ci/run", ...readdirSync(join(ROOT, "scripts")).flatMap((f) => (f.endsWith(".sh") ? [`scripts/${f}`] : []))];
const COMMIT = "0123456789abcdef0123456789abcdef01234567";
const DEV_REPO = "111111111111.dkr.ecr.eu-west-1.amazonaws.com/shipyard/sample-app";
const STAGING_REPO = "222222222222.dkr.ecr.eu-west-1.amazonaws.com/shipyard/sample-app";
const PROD_REPO = "333333333333.dkr.ecr.eu-west-1.amazonaws.com/shipyard/sample-app";

function expectNoSecret(box: Sandbox, run: ScriptRun) {
  for (const secret of Object.values(SECRETS)) {
    expect(run.output, "printed a credential").not.toContain(secret);
    expect(box.written(), "wrote a credential").not.toContain(secret);
    expect(box.calls().join("\n"), "passed a credential on a command line").not.toContain(secret);
  }
}

/** A shipyard stand-in (SHIPYARD_BIN): records its arguments and the environment it saw. */
function fakeShipyard(box: Sandbox, script = ""): string {
  const path = join(box.bin, "shipyard-standin");
  writeFileSync(
    path,
    `#!/usr/bin/env bash
printf 'shipyard %s\\n' "$*" >> "$CALLS"
printf 'env AWS_PROFILE=%s TF_VAR_image_tag_sample_app=%s TF_TOKEN=%s\\n' "\${AWS_PROFILE:-}" "\${TF_VAR_image_tag_sample_app:-}" "\${TF_TOKEN_app_terraform_io:+set}" >> "$CALLS"
${script}
`,
  );
  chmodSync(path, 0o755);
  return path;
}

describe.skipIf(!requireTool("shellcheck"))("shellcheck", () => {
  it.each(SCRIPTS)("ci/%s is clean", (script) => {
    // ci/.shellcheckrc makes `source lib.sh` followed; any finding (even style) fails.
    expect(() => execFileSync("shellcheck", ["--severity=style", join("ci", script)], { cwd: ROOT, encoding: "utf8" })).not.toThrow();
  });
  it.each(OTHER_SHELL)("%s is clean", (script) => {
    expect(() => execFileSync("shellcheck", ["--severity=style", script], { cwd: ROOT, encoding: "utf8" })).not.toThrow();
  });
});

describe("ci/image.sh", () => {
  const tools = (box: Sandbox) => box.calls().map((c) => c.split(" ").slice(0, 2).join(" "));

  it("on main builds, scans, writes the SBOM, then pushes the scanned archive to dev and staging, tagged with the commit", () => {
    const box = sandbox();
    const run = runScript(box, "image.sh", ["all"], { BRANCH_NAME: "main" });
    expect(run.status, run.output).toBe(0);
    expect(tools(box)).toEqual([
      "buildctl-daemonless.sh build",
      "trivy image", // SBOM
      "trivy image", // vulnerabilities
      "trivy convert",
      "aws ecr",
      "aws ecr",
      "skopeo copy",
      "skopeo copy",
    ]);
    const calls = box.calls();
    expect(calls[0]).toContain(`--output type=oci,dest=${join(box.dir, "build", "image.tar")}`);
    expect(calls[1]).toContain("--format cyclonedx");
    expect(calls[2]).toContain("--severity HIGH,CRITICAL --ignore-unfixed --exit-code 1");
    expect(calls.filter((c) => c.startsWith("skopeo")).map((c) => c.split(" ").at(-1))).toEqual([
      `docker://${DEV_REPO}:${COMMIT}`,
      `docker://${STAGING_REPO}:${COMMIT}`,
    ]);
    expect(calls.filter((c) => c.startsWith("skopeo")).every((c) => c.includes(`oci-archive:${join(box.dir, "build", "image.tar")}`))).toBe(
      true,
    );
    expect(readFileSync(join(box.reports, "image", "pushed.txt"), "utf8")).toContain(`${DEV_REPO}:${COMMIT}@sha256:`);
    expectNoSecret(box, run);
  });

  it("on a release tag pushes to prod, tagged with the commit and the version", () => {
    const box = sandbox();
    const run = runScript(box, "image.sh", ["all"], { BRANCH_NAME: "v1.4.0", TAG_NAME: "v1.4.0" });
    expect(run.status, run.output).toBe(0);
    expect(
      box
        .calls()
        .filter((c) => c.startsWith("skopeo"))
        .map((c) => c.split(" ").at(-1)),
    ).toEqual([`docker://${PROD_REPO}:${COMMIT}`, `docker://${PROD_REPO}:v1.4.0`]);
    expectNoSecret(box, run);
  });

  it("never logs in nor pushes when the scan finds fixable HIGH/CRITICAL vulnerabilities", () => {
    const box = sandbox();
    const run = runScript(box, "image.sh", ["all"], { BRANCH_NAME: "main", TRIVY_FINDINGS: "1" });
    expect(run.status).toBe(1);
    expect(run.output).toContain("nothing is pushed");
    expect(box.calls().some((c) => c.startsWith("skopeo") || c.startsWith("aws"))).toBe(false);
    // A push attempted afterwards (the pipeline's next step, by hand) is refused as well.
    const push = runScript(box, "image.sh", ["push"], { BRANCH_NAME: "main" });
    expect(push.status).toBe(2);
    expect(push.output).toContain("has not passed the scan");
    expect(box.calls().some((c) => c.startsWith("skopeo"))).toBe(false);
  });

  it("refuses to push an archive that is not the one scanned", () => {
    const box = sandbox();
    expect(runScript(box, "image.sh", ["targets"], { BRANCH_NAME: "main" }).status).toBe(0);
    expect(runScript(box, "image.sh", ["build"], { BRANCH_NAME: "main" }).status).toBe(0);
    expect(runScript(box, "image.sh", ["scan"], { BRANCH_NAME: "main" }).status).toBe(0);
    writeFileSync(join(box.dir, "build", "image.tar"), "other bytes");
    const push = runScript(box, "image.sh", ["push"], { BRANCH_NAME: "main" });
    expect(push.status).toBe(2);
    expect(push.output).toContain("changed since it was scanned");
    expect(box.calls().some((c) => c.startsWith("skopeo"))).toBe(false);
  });

  it("refuses a push when the scanner itself fails", () => {
    const box = sandbox();
    const run = runScript(box, "image.sh", ["all"], { BRANCH_NAME: "main", STANDIN_FAIL: "trivy" });
    expect(run.status).not.toBe(0);
    expect(box.calls().some((c) => c.startsWith("skopeo"))).toBe(false);
  });
});

describe("ci/deploy.sh", () => {
  it("deploys through shipyard deploy as the environment's deployer role, with the commit as image tag", () => {
    const box = sandbox();
    const run = runScript(box, "deploy.sh", ["staging"], {
      SHIPYARD_BIN: fakeShipyard(box),
      TF_TOKEN_app_terraform_io: SECRETS.TF_TOKEN_app_terraform_io,
    });
    expect(run.status, run.output).toBe(0);
    expect(box.calls()).toEqual([
      "shipyard deploy --env staging --parallelism 2",
      `env AWS_PROFILE=shipyard-staging TF_VAR_image_tag_sample_app=${COMMIT} TF_TOKEN=set`,
    ]);
    const config = readFileSync(join(box.dir, "cache", "aws", "config"), "utf8");
    expect(config).toContain(
      "[profile shipyard-staging]\nrole_arn = arn:aws:iam::222222222222:role/shipyard-staging-deployer\nsource_profile = ci-agent\nexternal_id = shipyard-staging",
    );
    expect(config).toContain("role_arn = arn:aws:iam::999999999999:role/jenkins-agent\nweb_identity_token_file = ");
    expect(config).not.toMatch(/aws_access_key_id|aws_secret_access_key|aws_session_token/);
    expectNoSecret(box, run);
  });

  it("fails when shipyard deploy fails", () => {
    const box = sandbox();
    const run = runScript(box, "deploy.sh", ["dev"], { SHIPYARD_BIN: fakeShipyard(box, "exit 1") });
    expect(run.status).toBe(1);
  });

  it("refuses an environment that does not exist", () => {
    const box = sandbox();
    const run = runScript(box, "deploy.sh", ["qa"], { SHIPYARD_BIN: fakeShipyard(box) });
    expect(run.status).toBe(2);
    expect(run.output).toContain("generated/ci/qa.json: no such environment");
    expect(box.calls()).toEqual([]);
  });
});

describe("ci/ansible.sh and ci/smoke-test.sh", () => {
  it("runs site.yml with the environment's inventory and generated variables, on a kubeconfig of the deployer role", () => {
    const box = sandbox();
    const run = runScript(box, "ansible.sh", ["prod"]);
    expect(run.status, run.output).toBe(0);
    const calls = box.calls();
    expect(calls.find((c) => c.startsWith("aws"))).toBe(
      `aws eks update-kubeconfig --name shipyard-prod --region eu-west-1 --kubeconfig ${join(box.dir, "cache", "kube", "prod")}`,
    );
    expect(calls.at(-1)).toBe("ansible-playbook -i inventories/prod -e @../generated/ansible/prod.yml site.yml");
    expectNoSecret(box, run);
  });

  it("passes when every application answers on its ingress, and fails naming the one that does not", () => {
    const box = sandbox();
    const ok = runScript(box, "smoke-test.sh", ["dev"]);
    expect(ok.status, ok.output).toBe(0);
    expect(box.calls().at(-1)).toMatch(/^curl -fsS .* https:\/\/sample\.dev\.shipyard\.example\.com\/healthz$|^curl -fsS .*\/healthz$/);
    const failing = runScript(box, "smoke-test.sh", ["dev"], { STANDIN_FAIL: "curl" });
    expect(failing.status).toBe(1);
    expect(failing.output).toMatch(/FAILED https:\/\/.*\/healthz/);
  });
});

describe("ci/drift.sh", () => {
  it("plans every environment in drift mode with its own token class, applies nothing, and reports", () => {
    const box = sandbox();
    const shipyard = fakeShipyard(box, `case "$*" in *"--env staging"*) exit 3;; *"--env tools"*) exit 1;; esac`);
    const run = runScript(box, "drift.sh", [], {
      SHIPYARD_BIN: shipyard,
      TF_TOKEN_NONPROD: SECRETS.TF_TOKEN_NONPROD,
      TF_TOKEN_PROD: SECRETS.TF_TOKEN_PROD,
    });
    expect(run.status).toBe(1);
    const plans = box.calls().filter((c) => c.startsWith("shipyard"));
    expect(plans).toEqual(["dev", "prod", "staging", "tools"].map((e) => `shipyard plan --env ${e} --all --detailed-exitcode`));
    expect(box.calls().some((c) => / (deploy|apply)\b/.test(c))).toBe(false);
    const summary = readFileSync(join(box.reports, "drift", "summary.md"), "utf8");
    expect(summary).toContain("| dev | no drift |");
    expect(summary).toContain("| staging | drift: the plan has changes |");
    expect(summary).toContain("| tools | plan failed (exit 1) |");
    expectNoSecret(box, run);
  });
});

describe("ci/pr-review.sh", () => {
  const diff = {
    against: "origin/main",
    summary: { added: 1, removed: 1, changed: 0 },
    stacks: [
      {
        stack: "dev-network",
        kind: "changed",
        resources: [
          { address: "aws_vpc.network", kind: "removed", attributes: [] },
          { address: "aws_vpc.network2", kind: "added", attributes: [] },
        ],
        settings: [],
      },
    ],
  };
  const shipyardReview = (box: Sandbox) =>
    fakeShipyard(
      box,
      `case "$1 $*" in
  diff*"--format json"*) echo '${JSON.stringify(diff)}';;
  diff*) echo '### diff';;
  check*"--format markdown"*) echo 'No findings.';;
  check*) echo '{}';;
  cost*) echo '| env | delta |';;
esac`,
    );
  const env = (box: Sandbox, comments: unknown[]) => {
    writeFileSync(join(box.dir, "comments.json"), JSON.stringify(comments));
    return {
      SHIPYARD_BIN: shipyardReview(box),
      // The stand-in shipyard runs no checkov: nothing for ci/install-tools.sh to install.
      SHIPYARD_CHECKOV: join(box.bin, "checkov"),
      GITHUB_COMMENTS: join(box.dir, "comments.json"),
      GITHUB_TOKEN: SECRETS.GITHUB_TOKEN,
      CHANGE_ID: "42",
      CHANGE_TARGET: "main",
      CHANGE_URL: "https://github.com/example/shipyard/pull/42",
      BUILD_URL: "https://jenkins.example.com/job/shipyard/job/PR-42/3/",
      PR_HEAD_SHA: COMMIT,
      // The stand-in shipyard ignores the baseline; any ref that exists here will do.
      REVIEW_AGAINST: "HEAD",
    };
  };

  it("edits the comment of an earlier build in place and sets the commit status, the token only on curl's stdin", () => {
    const box = sandbox();
    const run = runScript(
      box,
      "pr-review.sh",
      [],
      env(box, [
        { id: 5, body: "LGTM" },
        { id: 77, body: "<!-- shipyard-review -->\nold" },
      ]),
    );
    expect(run.status, run.output).toBe(0);
    const curls = box.calls().filter((c) => c.startsWith("curl"));
    expect(curls.map((c) => `${c.match(/-X (\w+)/)?.[1]} ${c.split(" ").at(-1)}`)).toEqual([
      "GET https://api.github.com/repos/example/shipyard/issues/42/comments?per_page=100&page=1",
      "PATCH https://api.github.com/repos/example/shipyard/issues/comments/77",
      `POST https://api.github.com/repos/example/shipyard/statuses/${COMMIT}`,
    ]);
    expect(readFileSync(join(box.dir, "calls.stdin"), "utf8")).toContain(`Authorization: Bearer ${SECRETS.GITHUB_TOKEN}`);
    const comment = readFileSync(join(box.reports, "review", "comment.md"), "utf8");
    expect(comment.startsWith("<!-- shipyard-review -->")).toBe(true);
    expect(comment).toContain("destroys 1");
    // shipyard diff's own markdown (folded per stack) is embedded as it is.
    expect(comment).toContain("### diff");
    expect(comment).toContain("artifact/");
    // The token is in curl's stdin record (the stand-in's own file), nowhere else.
    for (const secret of Object.values(SECRETS)) expect(run.output + box.written()).not.toContain(secret);
  });

  it("posts a first comment when no earlier one carries the marker", () => {
    const box = sandbox();
    const run = runScript(box, "pr-review.sh", [], env(box, [{ id: 5, body: "LGTM" }]));
    expect(run.status, run.output).toBe(0);
    const methods = box
      .calls()
      .filter((c) => c.startsWith("curl"))
      .map((c) => `${c.match(/-X (\w+)/)?.[1]} ${c.split(" ").at(-1)}`);
    expect(methods[1]).toBe("POST https://api.github.com/repos/example/shipyard/issues/42/comments");
  });
});

describe("ci/release-notes.sh", () => {
  it("summarizes what a tag changes with shipyard diff against the previous release tag", () => {
    const box = sandbox();
    const repo = tempDir("shipyard-release-");
    cpSync(join(ROOT, "ci"), join(repo, "ci"), { recursive: true });
    mkdirSync(join(repo, "generated", "ci"), { recursive: true });
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: repo, encoding: "utf8" });
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "first");
    git("tag", "v1.0.0");
    git("tag", "not-a-release");
    writeFileSync(join(repo, "generated", "ci", "x.json"), "{}\n");
    git("add", "-A");
    git("commit", "-qm", "Raise the node group maximum");
    git("tag", "v1.1.0");
    const run = runScript(
      box,
      "release-notes.sh",
      ["v1.1.0"],
      { SHIPYARD_BIN: fakeShipyard(box, "echo '### Shipyard infrastructure diff'") },
      repo,
    );
    expect(run.status, run.output).toBe(0);
    expect(box.calls()[0]).toBe("shipyard diff --against v1.0.0 --format markdown");
    const notes = readFileSync(join(box.reports, "release", "notes.md"), "utf8");
    expect(notes).toContain("# Release v1.1.0");
    expect(notes).toContain("Changes since v1.0.0.");
    expect(notes).toMatch(/- [0-9a-f]+ Raise the node group maximum/);
  });
});

describe("ci/deploy.sh with the real shipyard deploy", () => {
  /** A committed copy of the project, so shipyard's deploy record and git ref land there, not here. */
  function committedProjectCopy(): string {
    const dir = projectCopy("shipyard-ci-deploy-", ["generated"]);
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: dir, stdio: "ignore" });
    git("init", "-q");
    writeFileSync(join(dir, ".gitignore"), "node_modules\ncdktf.out\n.shipyard\n");
    git("add", "-A");
    git("commit", "-qm", "snapshot");
    return dir;
  }
  /** terraform stand-in: records `<stack> <command>`; plans have changes; TF_FAIL=<stack>:<command> fails. */
  const TERRAFORM = `printf 'tf %s %s\\n' "\${PWD##*/}" "$1" >> "$CALLS"
case ",\${TF_FAIL:-}," in *",\${PWD##*/}:$1,"*) exit 1;; esac
[ "$1" = plan ] && exit 2`;

  it("applies the stacks shipyard deploy chose in dependency order, and stops what depends on a failure", { timeout: 240_000 }, () => {
    const project = committedProjectCopy();
    const box = sandbox({ terraform: TERRAFORM });
    const ok = runScript(box, "deploy.sh", ["dev"], { TF_TOKEN_app_terraform_io: SECRETS.TF_TOKEN_app_terraform_io }, project);
    expect(ok.status, ok.output).toBe(0);
    const applied = box
      .calls()
      .filter((c) => c.startsWith("tf ") && c.endsWith(" apply"))
      .map((c) => c.split(" ")[1]);
    expect(applied.sort()).toEqual(["dev-cluster", "dev-foundation", "dev-network", "dev-platform", "dev-workloads"]);
    const order = box
      .calls()
      .filter((c) => c.startsWith("tf ") && c.endsWith(" apply"))
      .map((c) => c.split(" ")[1]!);
    const at = (s: string) => order.indexOf(s);
    expect(at("dev-foundation")).toBeLessThan(at("dev-cluster"));
    expect(at("dev-network")).toBeLessThan(at("dev-cluster"));
    expect(at("dev-cluster")).toBeLessThan(at("dev-platform"));
    expect(at("dev-platform")).toBeLessThan(at("dev-workloads"));
    // shipyard recorded the deploy in its git ref (no origin here, so nothing is pushed).
    expect(execFileSync("git", ["rev-parse", "-q", "--verify", "refs/shipyard/deployed/dev"], { cwd: project, encoding: "utf8" })).toMatch(
      /^[0-9a-f]{40}/,
    );
    expectNoSecret(box, ok);

    const failing = sandbox({ terraform: TERRAFORM });
    rmSync(join(project, ".shipyard"), { recursive: true, force: true });
    execFileSync("git", ["update-ref", "-d", "refs/shipyard/deployed/dev"], { cwd: project });
    const run = runScript(failing, "deploy.sh", ["dev"], { TF_FAIL: "dev-cluster:apply" }, project);
    expect(run.status).toBe(1);
    const calls = failing.calls().filter((c) => c.startsWith("tf "));
    expect(calls).toContain("tf dev-cluster apply");
    expect(calls.some((c) => c.startsWith("tf dev-platform") || c.startsWith("tf dev-workloads"))).toBe(false);
  });
});

describe("ci/pr-comment.mjs", () => {
  const load = () =>
    import(join(ROOT, "ci", "pr-comment.mjs")) as Promise<{
      buildComment: (i: object) => { comment: string; report: string };
      MARKER: string;
    }>;
  const huge = {
    against: "origin/main",
    summary: { create: 3600, update: 0, replace: 400, delete: 400 },
    stacks: Array.from({ length: 400 }, (_, i) => ({
      stack: `env-stack-${i}`,
      kind: "changed",
      resources: Array.from({ length: 10 }, (_, j) => ({
        address: `aws_thing.resource_${j}_${"x".repeat(40)}`,
        action: j === 0 ? "delete" : j === 1 ? "replace" : "create",
        data: false,
        changes: [],
      })),
      settings: [],
    })),
  };

  it("stays under GitHub's 65,536 characters, folded per stack, with the banner and a link to the full report", async () => {
    const { buildComment, MARKER } = await load();
    const { comment, report } = buildComment({
      diff: huge,
      check: "c".repeat(40_000),
      cost: "d".repeat(40_000),
      checkStatus: 1,
      reportUrl: "https://ci/artifact/reports/review/report.md",
    });
    expect(comment.length).toBeLessThan(65_536);
    expect(comment.startsWith(MARKER)).toBe(true);
    expect(comment).toContain("destroys 400");
    expect(comment).toContain("replaces 400");
    expect(comment).toContain("<details><summary><code>env-stack-0</code>");
    expect(comment).toContain("Full report: https://ci/artifact/reports/review/report.md");
    expect(report.length).toBeGreaterThan(65_536);
    expect(report).toContain("env-stack-399");
  });

  it("shows no banner when nothing is destroyed or replaced, and embeds shipyard diff's own markdown when given", async () => {
    const { buildComment } = await load();
    const { comment } = buildComment({
      diff: { against: "origin/main", summary: {}, stacks: [] },
      diffMarkdown: "### Shipyard diff\n\nNo changes.",
      check: "",
      cost: "",
      checkStatus: 0,
      reportUrl: "u",
    });
    expect(comment).not.toContain("[!WARNING]");
    expect(comment).toContain("### Shipyard diff\n\nNo changes.");
    expect(comment).toContain("Policy check (passed)");
  });
});

describe("ci/install-tools.sh", () => {
  /** `id -u` answers uid; dpkg-query knows the packages in $INSTALLED (space separated) as installed. */
  const machine = (uid: number) =>
    sandbox({
      id: `echo ${uid}`,
      "dpkg-query": `pkg="\${*: -1}"; case " \${INSTALLED:-} " in *" $pkg "*) echo 'install ok installed';; *) exit 1;; esac`,
      "apt-get": ``,
    });
  const TEST_PACKAGES = [
    "ansible",
    "ansible-lint",
    "yamllint",
    "debootstrap",
    "prometheus",
    "prometheus-alertmanager",
    "time",
    "groovy",
    "shellcheck",
    "python3-venv",
  ];
  const apt = (box: Sandbox) => box.calls().filter((c) => c.startsWith("apt-get"));

  it("installs nothing when every package is there (the same list .ci/run and the build agent use)", () => {
    const box = machine(0);
    const run = runScript(box, "install-tools.sh", [], { INSTALLED: TEST_PACKAGES.join(" "), SHIPYARD_CHECKOV: "/opt/checkov" });
    expect(run.status, run.output).toBe(0);
    expect(
      box
        .calls()
        .filter((c) => c.startsWith("dpkg-query"))
        .map((c) => c.split(" ").at(-1)),
    ).toEqual(TEST_PACKAGES);
    expect(apt(box)).toEqual([]);
    expect(run.output).toContain("SHIPYARD_CHECKOV=/opt/checkov: not installing checkov");
  });

  it("not root: installs nothing and says which packages it assumes", () => {
    const box = machine(1000);
    const run = runScript(box, "install-tools.sh", [], { INSTALLED: "ansible time", SHIPYARD_CHECKOV: "/opt/checkov" });
    expect(run.status, run.output).toBe(0);
    expect(apt(box)).toEqual([]);
    expect(run.output).toContain("not root: assuming ansible-lint yamllint debootstrap");
  });

  it("checkov alone, with SHIPYARD_CHECKOV naming one, installs nothing; an unknown group exits 2", () => {
    const box = machine(1000);
    const run = runScript(box, "install-tools.sh", ["checkov"], { SHIPYARD_CHECKOV: "/opt/checkov" });
    expect(run.status, run.output).toBe(0);
    expect(box.calls().filter((c) => c.startsWith("dpkg-query"))).toEqual([]);
    const withoutOverride = runScript(machine(1000), "install-tools.sh", ["nonsense"]);
    expect(withoutOverride.status).toBe(2);
    expect(withoutOverride.output).toContain("usage: ci/install-tools.sh [all|checkov] (got 'nonsense')");
  });
});

describe("ci/lib.sh ensure_reference_data", () => {
  /** A checkout (ci/ only) in a folder of its own, so `../shared` is the test's. */
  const checkout = () => {
    const parent = tempDir("shipyard-refdata-");
    cpSync(join(ROOT, "ci"), join(parent, "shipyard", "ci"), { recursive: true });
    return parent;
  };
  const ensure = (parent: string, env: Record<string, string>) =>
    spawnSync("bash", ["-c", `source ci/lib.sh && ensure_reference_data`], {
      cwd: join(parent, "shipyard"),
      encoding: "utf8",
      env: { PATH: process.env.PATH, HOME: parent, ...env },
    });

  it("clones the repository the controller names (SHIPYARD_REFERENCE_DATA_GIT) beside the checkout, once", () => {
    const parent = checkout();
    const source = join(parent, "reference-data");
    mkdirSync(join(source, "charts"), { recursive: true });
    writeFileSync(join(source, "charts", "README.md"), "upstream charts\n");
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: source, encoding: "utf8" });
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "charts");
    // The controller's variable name is the generator's (one source).
    const first = ensure(parent, { [REFERENCE_DATA_VARIABLE]: `file://${source}` });
    expect(first.status, first.stderr).toBe(0);
    expect(readFileSync(join(parent, "shared", "charts", "README.md"), "utf8")).toBe("upstream charts\n");
    // Present: nothing is cloned again (an unreachable URL would fail).
    const again = ensure(parent, { [REFERENCE_DATA_VARIABLE]: "file:///nowhere.git" });
    expect(again.status, again.stderr).toBe(0);
  });

  it("without the variable, says what the suites will miss and changes nothing", () => {
    const parent = checkout();
    const r = ensure(parent, {});
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("the suites that read upstream chart and IAM data fail under CI (set SHIPYARD_REFERENCE_DATA_GIT)");
    expect(readdirSync(parent)).toEqual(["shipyard"]);
  });
});
