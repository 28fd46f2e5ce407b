import { App } from "cdktf";
import { environmentPolicyFindings, trustFindings } from "../../policy";
import { buildApp } from "../../synth/synthesize";
import type { Finding, ShipyardCheck } from "../types";

/**
 * The deployer can apply every layer it owns and nothing it must not: every action the stacks' resource
 * types need is allowed on a representative ARN by identity policy ∩ boundary (∪ key policy), simulated
 * by @cloud-copilot/iam-simulate; actions refused by design stay refused; every emitted type has an entry
 * in `src/policy/permissions.ts`.
 */
export const deployerCheck: ShipyardCheck = {
  id: "deployer",
  title: "the deployer role can apply every layer (simulated), and no more than designed",
  async run(ctx) {
    const findings: Finding[] = [];
    const built = buildApp(new App({ stackTraces: false, skipValidation: true }), ctx.envs, ctx.outdir);
    for (const env of ctx.envs) {
      for (const f of await environmentPolicyFindings(env, built.get(env.name)!)) {
        findings.push({
          check: this.id,
          severity: "error",
          stack: `${env.name}-bootstrap`,
          resource: f.resource,
          rule: f.check,
          message: `${f.action} on ${f.resource}: ${f.result} (needed by ${f.neededBy.join(", ")}; expected ${f.check === "refused-by-design" ? "a denial" : "Allowed"})`,
        });
      }
    }
    return findings;
  },
};

/** Every role trusts only this account's service principals, the cluster's OIDC provider, or the CI role. */
export const trustCheck: ShipyardCheck = {
  id: "trust",
  title: "role trust limited to AWS services, the cluster's OIDC provider and the CI role",
  run(ctx) {
    return ctx.envs.flatMap((env) =>
      [...ctx.stacks]
        .filter(([stack]) => stack.startsWith(`${env.name}-`))
        .flatMap(([stack, json]) =>
          trustFindings(stack, json as Parameters<typeof trustFindings>[1], {
            account: env.account,
            region: env.region,
            ciPrincipal: env.access.deployer.trustedPrincipal,
          }).map((f): Finding => ({
            check: this.id,
            severity: "error",
            stack,
            resource: f.role,
            message: `${f.role} trusts ${f.principal} (expected an AWS service, the cluster's OIDC provider or ${env.access.deployer.trustedPrincipal})`,
          })),
        ),
    );
  },
};
