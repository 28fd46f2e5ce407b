/**
 * resolveTokens and prepareTokens hand CDKTF only the parts of a configuration that may hold a token:
 * for every kind of value resolveTokens must give what CDKTF's own resolution gives (and refuse what it
 * refuses), and prepareTokens must register the cross-stack references CDKTF's prepare pass registers.
 */
import { App, DefaultTokenResolver, Fn, Lazy, StringConcat, TerraformLocal, TerraformStack, Testing, Token, Tokenization } from "cdktf";
import { describe, expect, it } from "vitest";
import { prepareTokens, resolveTokens } from "../../src/stacks/tokens";

const cdktf = (scope: TerraformStack, value: unknown) =>
  Tokenization.resolve(value, { scope, resolver: new DefaultTokenResolver(new StringConcat()) });

describe("resolveTokens", () => {
  const app = Testing.app();
  const stack = new TerraformStack(app, "a");
  const local = new TerraformLocal(stack, "local", "x");
  const lazyString = Lazy.stringValue({ produce: () => "lazy" });
  const lazyNumber = Lazy.numberValue({ produce: () => 42 });
  const lazyList = Lazy.listValue({ produce: () => ["p", "q"] });

  it.each<[string, unknown]>([
    ["literals, without undefined members", { a: 1, b: "two", c: [true, null, undefined, { d: undefined }], e: undefined, f: 1.5e3 }],
    ["a string with a token in it", { name: `prefix-${lazyString}-suffix` }],
    ["a number token, alone and in a string", { n: lazyNumber, s: `${lazyNumber}`, list: [lazyNumber, 7] }],
    ["a list token among literals", { list: lazyList, nested: [{ l: lazyList }] }],
    [
      "an IResolvable and a Terraform expression",
      { r: Lazy.anyValue({ produce: () => ({ x: [1, undefined] }) }), e: Fn.join(",", ["a", lazyString]) },
    ],
    ["a token in a key", { [`${lazyString}-key`]: "v" }],
    ["a reference to an element", { ref: local.asString, expression: local.expression, interpolated: `arn:${local.asString}` }],
    ["exponent numbers written as text that are no tokens", { s: "1e5 and 2E-3", n: String(3e21) }],
  ])("gives what CDKTF gives for %s", (_, value) => {
    expect(resolveTokens(stack, value)).toEqual(cdktf(stack, value));
    expect(JSON.stringify(resolveTokens(stack, value))).toBe(JSON.stringify(cdktf(stack, value)));
  });

  it.each<[string, unknown]>([
    ["a function", { f: () => "x" }],
    ["a map-token placeholder outside a map", { s: Token.STRING_MAP_TOKEN_VALUE }],
    ["a list token where a single value belongs", { s: Token.asList(lazyList)[0] }],
  ])("refuses %s as CDKTF does", (_, value) => {
    expect(() => cdktf(stack, value)).toThrow();
    expect(() => resolveTokens(stack, value)).toThrow();
  });

  it("registers in the prepare pass the cross-stack references CDKTF registers", () => {
    const registered = (prepare: (consumer: TerraformStack, config: unknown) => void) => {
      const twoStacks = new App({ stackTraces: false });
      const producer = new TerraformStack(twoStacks, "producer");
      const consumer = new TerraformStack(twoStacks, "consumer");
      const local = new TerraformLocal(producer, "shared", "v");
      prepare(consumer, { deep: [{ value: `arn:${local.asString}` }], alone: local.expression, literal: "x" });
      return {
        outputs: Object.keys(JSON.parse(Testing.synth(producer)).output ?? {}),
        remoteStates: Object.keys(JSON.parse(Testing.synth(consumer)).data?.terraform_remote_state ?? {}),
      };
    };
    const ours = registered((consumer, config) => prepareTokens(consumer, config));
    const theirs = registered((consumer, config) =>
      Tokenization.resolve(config, { scope: consumer, preparing: true, resolver: new DefaultTokenResolver(new StringConcat()) }),
    );
    expect(ours.outputs.length).toBeGreaterThan(0);
    expect(ours.remoteStates.length).toBe(1);
    expect(ours).toEqual(theirs);
  });
});
