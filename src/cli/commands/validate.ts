import { info, loadSelected, paint, type CommonOptions } from "../context";

export function runValidate(options: CommonOptions): number {
  const envs = loadSelected(options);
  for (const env of envs)
    info(`${paint("valid", "green")} environments/${env.name}.yaml (${env.tier}, ${env.region}, state: ${env.state.backend})`);
  return 0;
}
