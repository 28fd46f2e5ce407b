import type { CiTarget } from "./ci-rules";
import type { EnvironmentInput } from "./schema/environment";
import { defaultSubnets } from "./subnets";

const ZONE_LETTERS = "abcdef";

/** Fills the values that follow from others, so every consumer sees them written out. */
export function deriveEnvironment(env: EnvironmentInput) {
  const { azCount, cidr } = env.network;
  const planned = defaultSubnets(cidr, azCount);
  const network = {
    ...env.network,
    availabilityZones: env.network.availabilityZones ?? [...ZONE_LETTERS.slice(0, azCount)].map((l) => `${env.region}${l}`),
    publicSubnets: env.network.publicSubnets ?? planned.public,
    privateSubnets: env.network.privateSubnets ?? planned.private,
  };
  return {
    ...env,
    network,
    /** `shipyard-<env>`: the EKS cluster name and the prefix of every named resource. */
    clusterName: environmentPrefix(env.name),
    /**
     * In an environment hosting the pipeline (`ci.jenkins`): the environments it deploys, resolved by the
     * loader from every file (they depend on the other files, so one file alone cannot say). A plain field, so
     * it survives copies of the config (`--local-state`) and serialization (synthesis processes).
     */
    ciTargets: undefined as readonly CiTarget[] | undefined,
  };
}

/** `shipyard-<env>`: the cluster's name and the prefix of every name the environment's resources carry. */
export function environmentPrefix(envName: string): string {
  return `shipyard-${envName}`;
}
