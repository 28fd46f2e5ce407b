import { expand, statementsIn } from "../iam-actions";
import type { Finding, ShipyardCheck } from "../types";

/** Every IAM action string in every policy of every stack is a real action; a wildcard matches at least one; `*` alone is refused. */
export const iamActionsCheck: ShipyardCheck = {
  id: "iam-actions",
  title: "IAM action strings are real actions",
  async run(ctx) {
    const findings: Finding[] = [];
    for (const [stack, json] of ctx.stacks) {
      for (const { action, where } of statementsIn(stack, json).actions) {
        const { problem } = await expand(action);
        if (problem) {
          findings.push({
            check: this.id,
            severity: "error",
            stack,
            resource: where.slice(stack.length + 2),
            message: `${action} ${problem} (expected an action from the AWS Service Authorization Reference)`,
          });
        }
      }
    }
    return findings;
  },
};
