import { Construct, type IConstruct } from "constructs";

/**
 * Readable, stable Terraform addresses (`aws_eks_node_group.general`, `aws_subnet.private_eu_west_1a`).
 *
 * A resource's or data source's name is built from the construct ids between its stack and itself,
 * never from hashes:
 *
 * 1. each id is lower-cased and every run of characters other than letters and digits becomes `_`;
 * 2. ids that only restate what the address already says are dropped: the stack's layer (`network` in
 *    `prod-network`), ids whose words all appear in the resource type (`node-group` and `node-groups` for
 *    `aws_eks_node_group`, `role` for `aws_iam_role`, `eks` for `aws_eks_cluster`), and grouping
 *    constructs made with {@link addressGroup};
 * 3. what is left, joined with `_`, is the name; when nothing is left the name is `this` (the single
 *    instance of its type, as in Terraform modules).
 *
 * So a refactor that wraps constructs in a group, or renames a hashed path, moves nothing; renaming a
 * meaningful id (a node group, a zone) is a rename in Terraform too. Two resources of one type that end
 * with the same name are refused at synthesis with both construct paths ({@link duplicateAddresses}).
 */
export function addressName(element: IConstruct, stack: IConstruct, resourceType: string | undefined, layer?: string): string {
  const scopes = element.node.scopes;
  const below = scopes.slice(scopes.indexOf(stack) + 1);
  if (resourceType === undefined) {
    // Outputs, variables, locals, providers: their ids, joined, without a hash.
    return below.map((c) => c.node.id.replace(/[^A-Za-z0-9_-]+/g, "_")).join("_");
  }
  const typeWords = new Set(words(resourceType).map(singular));
  const kept: string[] = [];
  for (const scope of below) {
    if (GROUPS.has(scope)) continue;
    const id = slug(scope.node.id);
    if (id === "" || (layer !== undefined && id === slug(layer))) continue;
    if (words(id).every((w) => typeWords.has(singular(w)))) continue;
    kept.push(id);
  }
  const name = kept.join("_") || "this";
  return /^[a-z_]/.test(name) ? name : `_${name}`;
}

const GROUPS = new WeakSet<IConstruct>();

/**
 * A construct that only groups others: its id never appears in their addresses, so moving resources
 * into or out of a group keeps their Terraform addresses.
 */
export function addressGroup(scope: Construct, id: string): Construct {
  const group = new Construct(scope, id);
  GROUPS.add(group);
  return group;
}

function slug(id: string): string {
  return id
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

function words(text: string): string[] {
  return text.split("_").filter(Boolean);
}

function singular(word: string): string {
  return word.length > 3 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word;
}

export interface AddressedElement {
  readonly path: string;
  readonly address: string;
}

/** Addresses claimed by more than one construct, with their construct paths. */
export function duplicateAddresses(elements: readonly AddressedElement[]): Map<string, string[]> {
  const byAddress = new Map<string, string[]>();
  for (const { address, path } of elements) byAddress.set(address, [...(byAddress.get(address) ?? []), path]);
  return new Map([...byAddress].filter(([, paths]) => paths.length > 1));
}
