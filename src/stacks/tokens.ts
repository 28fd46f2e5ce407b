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
 * - an IResolvable, an object that is not a plain object, or an object with a token in a key.
 *
 * `preparing` is CDKTF's prepare pass, in which resolving a token registers cross-stack references.
 */
export function resolveTokens(scope: IConstruct, value: unknown, preparing = false): unknown {
  const resolve = (unit: unknown) => Tokenization.resolve(unit, { scope, preparing, resolver: RESOLVER });
  const visit = (v: unknown): unknown => {
    switch (typeof v) {
      case "string":
        return isTokenString(v) ? resolve(v) : v;
      case "number":
        return Token.isUnresolved(v) ? resolve(v) : v;
      case "object": {
        if (v === null) return null;
        if (Array.isArray(v)) {
          if (v.some(isListTokenElement)) return resolve(v);
          return v.map(visit).filter((x) => x !== undefined);
        }
        const prototype = Object.getPrototypeOf(v);
        if (Tokenization.isResolvable(v) || (prototype !== Object.prototype && prototype !== null)) return resolve(v);
        const entries = Object.entries(v);
        if (entries.some(([key]) => isTokenString(key))) return resolve(v);
        const copy: Record<string, unknown> = {};
        for (const [key, member] of entries) {
          const resolved = visit(member);
          if (resolved !== undefined) copy[key] = resolved;
        }
        return copy;
      }
      case "function":
        // CDKTF refuses a function with its own message.
        return resolve(v);
      default:
        return v;
    }
  };
  return visit(value);
}

/** The resolver CDKTF's stacks use (`cdktf/lib/_tokens`). */
const RESOLVER = new DefaultTokenResolver(new StringConcat());

/** String, list (`#{…}`) and map (`&{…}`) token markers all read `…{TfToken[…]}`. */
const TOKEN_MARKER = "TfToken[";
const LIST_TOKEN = "#{TfToken[";

/**
 * A number token written into a string reads as a large negative double such as
 * `-1.8881545897087626e+289`; CDKTF looks up every exponent-notation number in a string. Any exponent
 * counts here: a false positive costs one ordinary resolve.
 */
const MAYBE_NUMBER_TOKEN = /\de[-+]?\d/i;

/** What makes CDKTF resolve an array as a list token (`Token.isUnresolved` of a one-element list). */
function isListTokenElement(x: unknown): boolean {
  return (typeof x === "string" && x.includes(LIST_TOKEN)) || (typeof x === "number" && (Token.isUnresolved(x) || Token.isUnresolved([x])));
}

function isTokenString(s: string): boolean {
  return s.includes(TOKEN_MARKER) || MAYBE_NUMBER_TOKEN.test(s);
}
