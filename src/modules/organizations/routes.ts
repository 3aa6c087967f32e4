import { z } from "zod";
import type { OrganizationRow } from "../../db/schema.js";
import type { Ctx } from "../../platform/context.js";
import { done, envelope, listEnvelope, ok, okEmpty, okList } from "../../platform/http/envelope.js";
import { AppError } from "../../platform/http/errors.js";
import type { App } from "../../platform/http/server.js";
import { domainRoutes } from "./domain-routes.js";
import { verifiedDomainsByOrganization } from "./domains.js";
import { inviteRoutes } from "./invite-routes.js";
import { memberRoutes } from "./member-routes.js";
import {
  deleteOrganization,
  getOrganization,
  listOrganizations,
  updateOrganization,
} from "./organizations.js";
import { organizationSchema, presentOrganization } from "./presenter.js";
import { createOrganization } from "./service.js";
import { structureRoutes } from "./structure-routes.js";

const org = z.object({ organizationId: z.uuid() });

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const fields = {
  name: z.string().trim().min(1).max(200),
  slug: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "lowercase words joined by hyphens")
    .max(60),
  autoJoin: z
    .boolean()
    .describe(
      "Let people who verify an address at one of the organization's verified domains join automatically",
    ),
  autoJoinRole: z.string().max(60).describe("Role given to people who join through the domain"),
  contactEmail: z.email().nullable(),
  contactName: z.string().max(200).nullable(),
  seatsPurchased: z.number().int().min(0).max(10_000_000).nullable().describe("null for unlimited"),
  status: z.enum(["pending-payment", "active", "suspended"]),
  timezone: z.string().refine(isTimeZone, "an IANA time zone such as Europe/Berlin"),
  locale: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, "a language tag such as en or de-CH"),
};

/** An organization as the API shows it, with its verified domains. */
async function present(ctx: Ctx, org: OrganizationRow) {
  const domains = await verifiedDomainsByOrganization(ctx, [org.id]);
  return presentOrganization(org, domains.get(org.id) ?? []);
}

/** Organizations (seed 001): settings, seats, email domains; and everything under them. */
export async function organizationRoutes(app: App): Promise<void> {
  const tags = ["Organizations"];

  app.post(
    "/api/v1/organizations",
    {
      config: { access: { permission: "organizations:create", platform: true, apiKeys: false } },
      schema: {
        tags,
        summary: "Create an organization (platform administrators)",
        description:
          "It starts with its own copy of the built-in roles. `adminEmail` names an existing account that becomes its first administrator. " +
          "A `domain` given here is recorded as verified on the platform administrator's word (no DNS check); " +
          "organizations claim further domains themselves under `/organizations/{id}/domains`.",
        body: z
          .object({
            ...fields,
            domain: z
              .string()
              .max(253)
              .nullable()
              .describe("An email domain the organization owns, verified at once"),
            adminEmail: z.email().optional(),
          })
          .partial()
          .required({ name: true }),
        response: { 201: envelope(organizationSchema) },
      },
    },
    async (request, reply) => {
      const { adminEmail, ...input } = request.body;
      let adminUserId: string | null = null;
      if (adminEmail) {
        const admin = await request.ctx.db
          .selectFrom("users")
          .select("id")
          .where("email", "=", adminEmail.toLowerCase())
          .executeTakeFirst();
        if (!admin)
          throw new AppError("NOT_FOUND", "No account with this email", { field: "adminEmail" });
        adminUserId = admin.id;
      }
      const created = await createOrganization(request.ctx, { ...input, adminUserId });
      reply.code(201);
      return ok(await present(request.ctx, created));
    },
  );

  app.get(
    "/api/v1/organizations",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Organizations I belong to (all of them for platform administrators)",
        querystring: z.object({
          page: z.coerce.number().int().min(1).default(1),
          limit: z.coerce.number().int().min(1).max(100).default(50),
          search: z.string().trim().min(1).max(200).optional(),
          status: fields.status.optional(),
        }),
        response: { 200: listEnvelope(organizationSchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await listOrganizations(request.ctx, request.query);
      const domains = await verifiedDomainsByOrganization(
        request.ctx,
        rows.map((o) => o.id),
      );
      return okList(
        rows.map((o) => presentOrganization(o, domains.get(o.id) ?? [])),
        pagination,
      );
    },
  );

  app.get(
    "/api/v1/organizations/:organizationId",
    {
      config: { access: { permission: "organizations:read" } },
      schema: {
        tags,
        summary: "An organization's settings and seats",
        params: org,
        response: { 200: envelope(organizationSchema) },
      },
    },
    async (request) =>
      ok(
        await present(
          request.ctx,
          await getOrganization(request.ctx, request.params.organizationId),
        ),
      ),
  );

  app.patch(
    "/api/v1/organizations/:organizationId",
    {
      config: { access: { permission: "organizations:update" } },
      schema: {
        tags,
        summary: "Change an organization's settings",
        description:
          "Seats cannot go below the seats in use. Only platform administrators change `status`. `autoJoin` " +
          "applies only to the organization's verified domains (`/organizations/{id}/domains`), so its " +
          "administrators may turn it on themselves.",
        params: org,
        body: z.object(fields).partial().strict(),
        response: { 200: envelope(organizationSchema) },
      },
    },
    async (request) =>
      ok(
        await present(
          request.ctx,
          await updateOrganization(request.ctx, request.params.organizationId, request.body),
        ),
      ),
  );

  app.delete(
    "/api/v1/organizations/:organizationId",
    {
      config: { access: { permission: "organizations:delete", platform: true, apiKeys: false } },
      schema: {
        tags,
        summary: "Delete an organization (platform administrators)",
        description:
          "Soft delete: the organization disappears, its API keys are revoked, its audit trail stays.",
        params: org,
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await deleteOrganization(request.ctx, request.params.organizationId);
      return done();
    },
  );

  await memberRoutes(app);
  await inviteRoutes(app);
  await domainRoutes(app);
  await structureRoutes(app);
}
