import { describe, expect, it } from "vitest";
import { ScimError } from "./errors.js";
import { normalizePath, parseFilter } from "./filter.js";
import { applyPatch, matches, scimBoolean } from "./patch.js";
import { project } from "./resources.js";

describe("SCIM filter parser", () => {
  it("parses comparisons, presence and the literal kinds", () => {
    expect(parseFilter('userName eq "Ada@Example.com"')).toEqual({
      kind: "compare",
      path: "userName",
      op: "eq",
      value: "Ada@Example.com",
    });
    expect(parseFilter("title pr")).toEqual({ kind: "present", path: "title" });
    expect(parseFilter("active EQ False")).toEqual({
      kind: "compare",
      path: "active",
      op: "eq",
      value: false,
    });
    expect(parseFilter("externalId eq null")).toMatchObject({ value: null });
    expect(parseFilter("x gt 10.5")).toMatchObject({ op: "gt", value: 10.5 });
    expect(parseFilter('displayName eq "say \\"hi\\""')).toMatchObject({ value: 'say "hi"' });
  });

  it("gives not over and over or, and honours parentheses", () => {
    expect(parseFilter('a eq "1" or b eq "2" and c eq "3"')).toEqual({
      kind: "or",
      left: { kind: "compare", path: "a", op: "eq", value: "1" },
      right: {
        kind: "and",
        left: { kind: "compare", path: "b", op: "eq", value: "2" },
        right: { kind: "compare", path: "c", op: "eq", value: "3" },
      },
    });
    expect(parseFilter('(a eq "1" or b eq "2") and not (c pr)')).toEqual({
      kind: "and",
      left: {
        kind: "or",
        left: { kind: "compare", path: "a", op: "eq", value: "1" },
        right: { kind: "compare", path: "b", op: "eq", value: "2" },
      },
      right: { kind: "not", filter: { kind: "present", path: "c" } },
    });
  });

  it("parses value paths, with and without a sub-attribute after them", () => {
    expect(parseFilter('emails[type eq "work"]')).toEqual({
      kind: "value-path",
      path: "emails",
      filter: { kind: "compare", path: "type", op: "eq", value: "work" },
    });
    expect(parseFilter('emails[type eq "work"].value co "@acme"')).toEqual({
      kind: "value-path",
      path: "emails",
      filter: {
        kind: "and",
        left: { kind: "compare", path: "type", op: "eq", value: "work" },
        right: { kind: "compare", path: "value", op: "co", value: "@acme" },
      },
    });
    expect(
      parseFilter(
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "42"',
      ),
    ).toMatchObject({
      path: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
    });
  });

  it("refuses malformed filters with scimType invalidFilter", () => {
    for (const bad of [
      "",
      "userName",
      "userName eq",
      'userName like "x"',
      'userName eq "unterminated',
      '(userName eq "x"',
      'userName eq "x" extra',
      "not userName pr",
      'emails[type eq "work"',
    ]) {
      let error: unknown;
      try {
        parseFilter(bad);
      } catch (e) {
        error = e;
      }
      expect(error, bad).toBeInstanceOf(ScimError);
      expect((error as ScimError).scimType, bad).toBe("invalidFilter");
      expect((error as ScimError).status).toBe(400);
    }
  });

  it("strips schema URNs and case from attribute paths", () => {
    expect(normalizePath("urn:ietf:params:scim:schemas:core:2.0:User:userName")).toBe("username");
    expect(
      normalizePath("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"),
    ).toBe("department");
    expect(normalizePath("name.givenName")).toBe("name.givenname");
  });
});

describe("SCIM PATCH operations", () => {
  const base = {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName: "a@acme.test",
    name: { givenName: "Ada", familyName: "Lovelace" },
    active: true,
    emails: [{ value: "a@acme.test", type: "work", primary: true }],
    members: [{ value: "1" }, { value: "2" }],
  };
  const patch = (...Operations: unknown[]) =>
    applyPatch(base, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations });

  it("applies Entra ID's capitalised operations with paths, URNs and string booleans", () => {
    const out = patch(
      { op: "Replace", path: "name.givenName", value: "Augusta" },
      { op: "Replace", path: "active", value: "False" },
      { op: "Add", path: 'emails[type eq "work"].value', value: "b@acme.test" },
      {
        op: "Add",
        path: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
        value: "Research",
      },
    );
    expect(out.name).toEqual({ givenName: "Augusta", familyName: "Lovelace" });
    expect(scimBoolean(out.active, "active")).toBe(false);
    expect(out.emails).toEqual([{ value: "b@acme.test", type: "work", primary: true }]);
    expect(out["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]).toEqual({
      department: "Research",
    });
    expect(base.name.givenName).toBe("Ada");
  });

  it("applies operations without a path (Okta, Entra) and removes by value filter", () => {
    const out = patch(
      { op: "replace", value: { active: false, "name.familyName": "King" } },
      { op: "remove", path: 'members[value eq "1"]' },
      { op: "add", path: "members", value: [{ value: "3" }] },
    );
    expect(out.active).toBe(false);
    expect(out.name).toEqual({ givenName: "Ada", familyName: "King" });
    expect(out.members).toEqual([{ value: "2" }, { value: "3" }]);
    expect(patch({ op: "Remove", path: "members", value: [{ value: "2" }] }).members).toEqual([
      { value: "1" },
    ]);
    expect(patch({ op: "remove", path: "members" }).members).toBeUndefined();
  });

  it("refuses unknown operations, missing schemas and removes without a path", () => {
    expect(() => applyPatch(base, { Operations: [] })).toThrow(ScimError);
    expect(() => patch({ op: "move", path: "active", value: true })).toThrow(/Unknown operation/);
    expect(() => patch({ op: "remove" })).toThrow(/needs a path/);
    expect(() => patch({ op: "remove", path: "emails[type eq" })).toThrow(ScimError);
    expect(() => scimBoolean("yes", "active")).toThrow(ScimError);
  });

  it("matches elements of multi-valued attributes", () => {
    const filter = parseFilter('type eq "WORK" and primary eq true');
    expect(matches({ type: "work", primary: true }, filter)).toBe(true);
    expect(matches({ type: "home", primary: true }, filter)).toBe(false);
  });
});

describe("attribute projection", () => {
  const resource = {
    schemas: ["s"],
    id: "1",
    userName: "a",
    name: { givenName: "A", familyName: "B" },
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
      department: "D",
      employeeNumber: "7",
    },
    meta: { version: "v" },
  };
  it("keeps what attributes names (and id and schemas), or drops what excludedAttributes names", () => {
    expect(project(resource, ["userName", "name.givenName", "department"])).toEqual({
      schemas: ["s"],
      id: "1",
      userName: "a",
      name: { givenName: "A" },
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { department: "D" },
    });
    expect(project(resource, undefined, ["name", "meta", "employeeNumber"])).toEqual({
      schemas: ["s"],
      id: "1",
      userName: "a",
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { department: "D" },
    });
  });
});
