import { describe, expect, it } from "vitest";
import { credentialsToSend, parseObject, parseRuleList, placeFieldError } from "./rules";

describe("the rule lists typed in the form", () => {
  it("reads a JSON list, an empty text as no rules, and says what is wrong otherwise", () => {
    expect(parseRuleList('[{"source":"user.email","target":"person.email"}]')).toEqual({
      ok: true,
      value: [{ source: "user.email", target: "person.email" }],
    });
    expect(parseRuleList("  ")).toEqual({ ok: true, value: [] });
    expect(parseRuleList("[{")).toEqual({ ok: false, error: "badJson" });
    expect(parseRuleList('{"a":1}')).toEqual({ ok: false, error: "notList" });
  });

  it("reads options and sample records as objects only", () => {
    expect(parseObject('{"accountId":"1"}')).toEqual({ ok: true, value: { accountId: "1" } });
    expect(parseObject("")).toEqual({ ok: true, value: {} });
    expect(parseObject("[1]")).toEqual({ ok: false, error: "notObject" });
    expect(parseObject("null")).toEqual({ ok: false, error: "notObject" });
    expect(parseObject("{x")).toEqual({ ok: false, error: "badJson" });
  });
});

describe("where the server's field errors go", () => {
  it("puts a rule's error on its list, counting rules from 1", () => {
    expect(placeFieldError("validationRules.1.pattern")).toEqual({
      input: "validationRules",
      rule: { index: 2, path: "pattern" },
    });
    expect(placeFieldError("fieldMappings.0")).toEqual({
      input: "fieldMappings",
      rule: { index: 1, path: "—" },
    });
    expect(placeFieldError("transformationRules")).toEqual({ input: "transformationRules" });
  });

  it("puts credential and plain field errors on their inputs", () => {
    expect(placeFieldError("credentials.clientSecret")).toEqual({
      input: "credentials.clientSecret",
    });
    expect(placeFieldError("options.accountId")).toEqual({ input: "options" });
    expect(placeFieldError("syncCron")).toEqual({ input: "syncCron" });
    expect(placeFieldError(null)).toBeNull();
  });
});

describe("the credentials sent", () => {
  it("keeps, erases or replaces with every field of the type", () => {
    expect(credentialsToSend("api-token", "keep", { token: "x" })).toEqual({});
    expect(credentialsToSend("basic", "erase", {})).toEqual({ credentials: null });
    expect(credentialsToSend("none", "replace", {})).toEqual({ credentials: null });
    expect(
      credentialsToSend("oauth2-client-credentials", "replace", {
        clientId: " lyceum ",
        clientSecret: " s3cret ",
        tokenUrl: "https://idp.example.org/token",
        scope: "",
        token: "left over from another type",
      }),
    ).toEqual({
      credentials: {
        clientId: "lyceum",
        clientSecret: " s3cret ",
        tokenUrl: "https://idp.example.org/token",
      },
    });
  });
});
