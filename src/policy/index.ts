/**
 * Shipyard's own policy checks, as library functions for `shipyard check` and the tests:
 *
 * - `environmentPolicyFindings(env, stacks)`: the deployer can apply every layer (simulated), refused
 *   actions stay refused, every emitted type has a permission entry, and every role's trust is limited;
 * - `runCheckov` / `classifyCheckov`: Checkov on the synthesized stacks with the listed skips and waivers.
 */
import type { EnvironmentConfig } from "../config";
import type { EnvironmentStacks } from "../stacks";
import { terraformTypes } from "../stacks/bootstrap";
import { DEPLOYER_LAYERS } from "../stacks/shipyard-stack";
import { boundaryPolicyArn, type PolicyStatement } from "../../modules/iam";
import { deployerActions } from "./deployer";
import { toIamDocument } from "./document";
import { deployerSufficiency, type Finding, type SimulationScope, type SufficiencyInput } from "./sufficiency";

export { deployerActions, deployerPolicies, REFUSED_BY_DESIGN } from "./deployer";
export { deployerSufficiency, representativeResource, simulate, type Finding, type SufficiencyInput } from "./sufficiency";
export { trustFindings, type TrustFinding } from "./trust";
export { CHECKOV_SKIPS } from "./checkov-skips";
export { CHECKOV_VERSION, checkovExecutable, classifyCheckov, prepareForCheckov, runCheckov, type CheckovReport } from "./checkov";
export { TYPE_PERMISSIONS, DEPLOYER_OPERATIONS, actionsForType } from "./permissions";

export { DEPLOYER_LAYERS } from "../stacks/shipyard-stack";

/** Where one environment's policies are simulated: its coordinates, names and boundary. */
export function simulationScope(env: EnvironmentConfig): SimulationScope {
  return {
    environment: env.name,
    prefix: env.clusterName,
    accountId: env.account,
    region: env.region,
    repositoryNames: env.ecr.repositories.map((r) => r.name),
    boundaryArn: boundaryPolicyArn(env.account, env.clusterName),
  };
}

/** The sufficiency analysis' input for one built environment (no synthesis needed). */
export function sufficiencyInput(env: EnvironmentConfig, stacks: EnvironmentStacks): SufficiencyInput {
  const keys = stacks.foundation.keys;
  const keyStatements: PolicyStatement[] = [keys.logs, keys.clusterSecrets, keys.ebs, keys.ecr, keys.s3, keys.secrets, keys.sns].flatMap(
    (key, k) => key.statements.map((s, i) => ({ ...s, sid: `K${k}${s.sid ?? i}` })),
  );
  const typesByLayer = Object.fromEntries(DEPLOYER_LAYERS.map((layer) => [layer, terraformTypes(stacks[layer])]));
  return {
    scope: simulationScope(env),
    identity: Object.values(stacks.bootstrap.deployer.statements).flat(),
    boundary: stacks.bootstrap.boundary.statements,
    keyPolicy: toIamDocument(keyStatements),
    neededBy: deployerActions(typesByLayer, { imagePush: env.ecr.repositories.length > 0 }).neededBy,
  };
}

/** Every deployer finding of one environment: types without a permission entry, and simulated denials. */
export async function environmentPolicyFindings(env: EnvironmentConfig, stacks: EnvironmentStacks): Promise<Finding[]> {
  const typesByLayer = Object.fromEntries(DEPLOYER_LAYERS.map((layer) => [layer, terraformTypes(stacks[layer])]));
  const missing = deployerActions(typesByLayer).missingTypes.map((type): Finding => ({
    check: "unknown-type",
    action: "-",
    resource: type,
    neededBy: [type],
    result: "no entry in src/policy/permissions.ts",
  }));
  return [...missing, ...(await deployerSufficiency(sufficiencyInput(env, stacks)))];
}
export { boundaryCoverage, type RoleGrant, type CoverageFinding } from "./boundary-coverage";
