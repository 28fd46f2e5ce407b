import { DefaultTokenResolver, StringConcat, Token, Tokenization } from "cdktf";
import type { IConstruct } from "constructs";

/**
 * Resolves `value` the way CDKTF's `Tokenization.resolve` does, handing it only the parts that hold a
 * token. CDKTF walks every member of a configuration with a new resolution context per member (about a
 * third of a synthesis); most members are literals, for which resolution is a copy without `undefined`
 * members. Here literals are copied, and each smallest part CDKTF resolves as one unit and that may
 * hold a token goes to CDKTF whole:
 * - a string with a token marker, or with what may be a number token written into it;
 * - a number token;
 * - an array holding a list token (CDKTF resolves those arrays as lists);
 * - an IResolvable, an object that is not a plain object, or an object with a token in a key;
 * - CDKTF's map-token placeholder values and functions, which it refuses with its own messages.
 */
export function resolveTokens(scope: IConstruct, value: unknown): unknown {
  const resolve = (unit: unknown) => Tokenization.resolve(unit, { scope, resolver: RESOLVER });
  const visit = (v: unknown): unknown => {
    if (typeof v !== "object" || v === null) return isTokenUnit(v) ? resolve(v) : v;
    if (Array.isArray(v)) return v.some(isListTokenElement) ? resolve(v) : v.map(visit).filter((x) => x !== undefined);
    if (isTokenUnit(v)) return resolve(v);
    const copy: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(v)) {
      const resolved = visit(member);
      if (resolved !== undefined) copy[key] = resolved;
    }
    return copy;
  };
  return visit(value);
}

/**
 * CDKTF's prepare pass over `value`: each part that may hold a token (as for `resolveTokens`) is
 * resolved with `preparing` set, which registers the cross-stack references it meets (an output in the
 * producing stack, a remote state in `scope`'s). Nothing is copied: the pass keeps no result.
 */
export function prepareTokens(scope: IConstruct, value: unknown): void {
  const visit = (v: unknown): void => {
    if (typeof v !== "object" || v === null) {
      if (isTokenUnit(v)) Tokenization.resolve(v, { scope, preparing: true, resolver: RESOLVER });
    } else if (Array.isArray(v) ? v.some(isListTokenElement) : isTokenUnit(v)) {
      Tokenization.resolve(v, { scope, preparing: true, resolver: RESOLVER });
    } else {
      for (const member of Array.isArray(v) ? v : Object.values(v)) visit(member);
    }
  };
  visit(value);
}

/** The resolver CDKTF's stacks use (`cdktf/lib/_tokens`). */
const RESOLVER = new DefaultTokenResolver(new StringConcat());

/** String, list (`#{…}`) and map (`&{…}`) token markers all read `…{TfToken[…]}`. */
const TOKEN_MARKER = "TfToken[";
const LIST_TOKEN = "#{TfToken[";

/**
 * A number token written into a string reads as a large negative double such as
 * `-1.8881545897087626e+289` (a token's bits make a magnitude near 1e289), so it always has `e+` and an
 * exponent. CDKTF looks up every exponent-notation number in a string; any positive exponent counts here:
 * a false positive costs one ordinary resolve. `includes` first: most strings have no `e+`, and some
 * (Helm values, dashboards) are long.
 */
const MAYBE_NUMBER_TOKEN = /\de\+\d/;

/** What makes CDKTF resolve an array as a list token (`Token.isUnresolved` of a one-element list). */
function isListTokenElement(x: unknown): boolean {
  return (typeof x === "string" && x.includes(LIST_TOKEN)) || (typeof x === "number" && (Token.isUnresolved(x) || Token.isUnresolved([x])));
}

/**
 * A part CDKTF resolves as one unit and that may hold a token. Plain objects and arrays are not units
 * (their members are) unless a key holds a token (arrays: see isListTokenElement).
 */
function isTokenUnit(v: unknown): boolean {
  switch (typeof v) {
    case "string":
      return isTokenString(v);
    case "number":
      return v === Token.NUMBER_MAP_TOKEN_VALUE || Token.isUnresolved(v);
    case "function":
      return true;
    case "object": {
      if (v === null || Array.isArray(v)) return false;
      const prototype = Object.getPrototypeOf(v);
      if (Tokenization.isResolvable(v) || (prototype !== Object.prototype && prototype !== null)) return true;
      for (const key in v) if (isTokenString(key)) return true;
      return false;
    }
    default:
      return false;
  }
}

function isTokenString(s: string): boolean {
  return (
    s.includes(TOKEN_MARKER) ||
    (s.includes("e+") && MAYBE_NUMBER_TOKEN.test(s)) ||
    s === Token.STRING_MAP_TOKEN_VALUE ||
    s === Token.ANY_MAP_TOKEN_VALUE
  );
}
