import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

/**
 * The tools platform layer hosts Jenkins (read from the committed snapshot, which the freshness test holds equal
 * to a fresh synthesis); the other environments do not.
 */

const GENERATED = path.join(__dirname, "..", "..", "generated");
type Json = { resource: Record<string, Record<string, any>> };
const stack = (name: string): Json => JSON.parse(readFileSync(path.join(GENERATED, "terraform", `${name}.tf.json`), "utf8"));
const releases = (json: Json) => Object.values(json.resource.helm_release ?? {});
const roles = (json: Json) => Object.values(json.resource.aws_iam_role ?? {});

describe("the tools platform layer", () => {
  const tools = stack("tools-platform");

  it("installs Jenkins 5.9.53 with the generated configuration as code", () => {
    const jenkins = releases(tools).find((r) => r.name === "jenkins")!;
    expect(jenkins).toMatchObject({ chart: "jenkins", version: "5.9.53", namespace: "jenkins", atomic: true });
    const values = JSON.parse(jenkins.values[0]);
    const casc = readFileSync(path.join(GENERATED, "jenkins", "tools", "casc.yaml"), "utf8")
      .split("\n")
      .slice(1)
      .join("\n");
    // Terraform escapes ${ as $${ in the values; Helm receives the generated document unchanged.
    expect(values.controller.JCasC.configScripts.shipyard.replace(/\$\$\{/g, "${")).toBe(casc);
    expect(values.persistence.storageClass).toBeTruthy();
  });

  it("locks each environment the pipeline deploys", () => {
    const casc = parse(readFileSync(path.join(GENERATED, "jenkins", "tools", "casc.yaml"), "utf8"));
    expect(casc.unclassified.lockableResourcesManager.declaredResources.map((r: any) => r.name)).toEqual([
      "shipyard-env-dev",
      "shipyard-env-prod",
      "shipyard-env-staging",
    ]);
    expect(casc.jenkins.clouds[0].kubernetes.templates.map((t: any) => [t.name, t.serviceAccount])).toEqual([
      ["shipyard-build", "jenkins-agent-build"],
      ["shipyard-image", "jenkins-agent-image"],
      ["shipyard-deploy", "jenkins-agent-deploy"],
    ]);
  });

  it("gives the deploy agent the role every target trusts, allowed only to assume their deployer roles", () => {
    const deploy = roles(tools).find((r) => r.name === "shipyard-tools-jenkins-agent")!;
    expect(deploy).toBeTruthy();
    const trusted = ["dev", "staging", "prod"].map(
      (e) => readFileSync(path.join(__dirname, "..", "..", "environments", `${e}.yaml`), "utf8").match(/trustedPrincipal: (\S+)/)![1],
    );
    expect(new Set(trusted)).toEqual(new Set(["arn:aws:iam::999999999999:role/shipyard-tools-jenkins-agent"]));
    const json = JSON.stringify(tools);
    expect(json).toContain("system:serviceaccount:jenkins:jenkins-agent-deploy");
    expect(json).toContain("system:serviceaccount:jenkins:jenkins-agent-image");
    const docs = Object.values((tools as any).data?.aws_iam_policy_document ?? {}) as any[];
    const assume = docs.flatMap((d) => d.statement ?? []).find((s: any) => s.sid === "AssumeDeployerRoles");
    expect(assume.actions).toEqual(["sts:AssumeRole"]);
    expect([...assume.resources].sort()).toEqual([
      "arn:aws:iam::111111111111:role/shipyard-dev-deployer",
      "arn:aws:iam::222222222222:role/shipyard-staging-deployer",
      "arn:aws:iam::333333333333:role/shipyard-prod-deployer",
    ]);
    const push = docs.flatMap((d) => d.statement ?? []).find((s: any) => s.sid === "PushApplicationImages");
    expect(push.actions).not.toContain("ecr:*");
    expect([...push.resources].sort()).toEqual([
      "arn:aws:ecr:eu-west-1:111111111111:repository/shipyard/sample-app",
      "arn:aws:ecr:eu-west-1:222222222222:repository/shipyard/sample-app",
      "arn:aws:ecr:eu-west-1:333333333333:repository/shipyard/sample-app",
    ]);
  });

  it("backs JENKINS_HOME up: Velero's schedules cover every namespace and snapshot volumes", () => {
    const velero = JSON.parse(releases(tools).find((r) => r.name === "velero")!.values[0]);
    for (const schedule of Object.values(velero.schedules) as any[]) {
      expect(schedule.template.includedNamespaces).toContain("*");
      expect(schedule.template.snapshotVolumes).toBe(true);
    }
  });

  it("is the only environment with a Jenkins", () => {
    for (const env of ["dev", "staging", "prod"])
      expect(
        releases(stack(`${env}-platform`)).some((r) => r.name === "jenkins"),
        env,
      ).toBe(false);
  });
});
