import type { EnvironmentConfig } from "../config";
import { roleArn } from "../../modules/iam/naming";
import { ecrRegistry, ecrRepositoryUrl, imageTagVariableName } from "../stacks/workload-props";
import { toJson, type Generator } from "./types";

/**
 * The facts of one environment that the pipeline's stage scripts (`ci/*.sh`) need, so that they never
 * parse `environments/*.yaml` nor spell a name by hand: which role to assume with which external ID, where
 * to push the application image, which Terraform variables carry its tag, which URLs the smoke test calls.
 */
export function ciFacts(env: EnvironmentConfig) {
  const repositories = [...new Set(env.applications.map((a) => a.repository))].sort();
  return {
    env: env.name,
    tier: env.tier,
    account: env.account,
    region: env.region,
    clusterName: env.clusterName,
    deployer: {
      roleArn: roleArn(env.account, env.clusterName, "deployer"),
      externalId: env.access.deployer.externalId,
      trustedPrincipal: env.access.deployer.trustedPrincipal,
    },
    ecr: {
      registry: ecrRegistry(env),
      repositories: repositories.map((name) => ecrRepositoryUrl(env, name)),
    },
    imageTagVariables: env.applications.map((a) => imageTagVariableName(a.name)).sort(),
    smokeUrls: env.applications.flatMap((a) => (a.ingress ? [`https://${a.ingress.host}/healthz`] : [])).sort(),
  };
}

/** `generated/ci/<env>.json`: what `ci/lib.sh`'s `env_fact` reads. */
export const ciFactsGenerator: Generator = {
  name: "ci",
  owns: ["ci"],
  generate(envs) {
    const files: Record<string, string> = {};
    for (const env of envs) files[`ci/${env.name}.json`] = toJson(ciFacts(env));
    return files;
  },
};
