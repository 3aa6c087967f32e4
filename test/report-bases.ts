import { expect } from "vitest";
import type { TestApp } from "./harness.js";

type Credentials = Parameters<TestApp["http"]["get"]>[1];

/**
 * A report base that needs a permission (the integration bases need integrations:manage) is
 * refused to someone without it — in preview and in validation, for each definition given —
 * marked not allowed in the catalog, and its predefined template is offered to the admin only.
 */
export async function expectBaseRefused(
  t: TestApp,
  options: {
    orgId: string;
    base: string;
    /** How the refusal names the base: "Reports on <label> need …". */
    label: string;
    template: string;
    definitions: unknown[];
    admin: Credentials;
    viewer: Credentials;
    /** The permission the base needs (integrations:manage unless named). */
    permission?: string;
  },
): Promise<void> {
  const url = `/api/v1/organizations/${options.orgId}/report-metadata`;
  for (const definition of options.definitions) {
    const res = await t.http.post(`${url}/preview`, definition, options.viewer);
    expect(res.status).toBe(400);
    expect(res.body.error.details.problems).toEqual(
      expect.arrayContaining([expect.objectContaining({ forbidden: true })]),
    );
    const check = await t.http.post(`${url}/validate`, definition, options.viewer);
    expect(check.body.data.errors).toEqual(
      expect.arrayContaining([
        {
          field: "measures",
          message: `Reports on ${options.label} need ${options.permission ?? "integrations:manage"} as wide as your reports:read`,
        },
      ]),
    );
  }
  const catalog = (await t.http.get(`${url}/dimensions`, options.viewer)).body.data;
  expect(catalog.bases.find((b: { key: string }) => b.key === options.base)).toMatchObject({
    requires: options.permission ?? "integrations:manage",
    allowed: false,
  });
  const slugs = async (as: Credentials) =>
    (
      await t.http.get(`/api/v1/organizations/${options.orgId}/report-templates?system=true`, as)
    ).body.data.map((x: { slug: string }) => x.slug);
  expect(await slugs(options.admin)).toContain(options.template);
  expect(await slugs(options.viewer)).not.toContain(options.template);
}
