import { z } from "zod";
import { done, envelope, errorEnvelope, ok, okEmpty } from "../../platform/http/envelope.js";
import { type App, idParam } from "../../platform/http/server.js";
import {
  claimDomain,
  getDomain,
  listDomains,
  MAX_DOMAINS_PER_ORGANIZATION,
  removeDomain,
  verifyDomain,
} from "./domains.js";
import { domainSchema, presentDomain } from "./presenter.js";

const org = z.object({ organizationId: z.uuid() });
const domainParams = org.extend(idParam("domainId").shape);

/**
 * The organization's email domains: claimed, proven through a DNS TXT record, removed. A
 * verified domain lets the organization add its people without an invitation and, with
 * auto-join on, take in everyone who verifies an address there.
 */
export async function domainRoutes(app: App): Promise<void> {
  const tags = ["Organization domains"];
  const access = { permission: "domains:manage" as const };

  app.get(
    "/api/v1/organizations/:organizationId/domains",
    {
      config: { access },
      schema: {
        tags,
        summary: "The organization's email domains, verified or not",
        params: org,
        response: { 200: envelope(z.array(domainSchema)) },
      },
    },
    async (request) =>
      ok((await listDomains(request.ctx, request.params.organizationId)).map(presentDomain)),
  );

  app.post(
    "/api/v1/organizations/:organizationId/domains",
    {
      config: { access },
      schema: {
        tags,
        summary: "Claim an email domain",
        description:
          "Answers the pending claim with the DNS TXT `record` to publish (name `_lyceum-challenge.<domain>`, " +
          "value `lyceum-verification=<token>`); then call `verify`. Public mail domains (gmail.com …) answer " +
          "`422 PUBLIC_EMAIL_DOMAIN`, a domain another organization verified `409 DOMAIN_TAKEN`, a domain this " +
          `organization already claims \`409 ALREADY_EXISTS\`. At most ${MAX_DOMAINS_PER_ORGANIZATION} claims per organization.`,
        params: org,
        body: z.object({
          domain: z.string().trim().min(3).max(253).describe("e.g. acme.com"),
        }),
        response: { 201: envelope(domainSchema), 409: errorEnvelope, 422: errorEnvelope },
      },
    },
    async (request, reply) => {
      const row = await claimDomain(request.ctx, request.params.organizationId, request.body);
      reply.code(201);
      return ok(presentDomain(row));
    },
  );

  app.get(
    "/api/v1/organizations/:organizationId/domains/:domainId",
    {
      config: { access },
      schema: {
        tags,
        summary: "One email domain claim and its DNS record",
        params: domainParams,
        response: { 200: envelope(domainSchema) },
      },
    },
    async (request) =>
      ok(
        presentDomain(
          await getDomain(request.ctx, request.params.organizationId, request.params.domainId),
        ),
      ),
  );

  app.post(
    "/api/v1/organizations/:organizationId/domains/:domainId/verify",
    {
      config: { access },
      schema: {
        tags,
        summary: "Verify an email domain now",
        description:
          "Looks the claim's TXT record up. Without it the answer is `422 DOMAIN_VERIFICATION_FAILED` " +
          "(`details.reason`: `record-not-found` or `value-mismatch`, with `recordName`, `expected` and " +
          "`found`); when no name server answers, `503 DNS_LOOKUP_FAILED`; when another organization " +
          "verified the domain first, `409 DOMAIN_TAKEN`. Verifying a verified domain checks its record " +
          "again. Platform administrators may send `skipDnsCheck: true` to vouch for the domain without DNS.",
        params: domainParams,
        body: z
          .object({
            skipDnsCheck: z
              .boolean()
              .optional()
              .describe(
                "Platform administrators only: mark verified without looking the record up",
              ),
          })
          .optional(),
        response: {
          200: envelope(domainSchema),
          409: errorEnvelope,
          422: errorEnvelope,
          503: errorEnvelope,
        },
      },
    },
    async (request) =>
      ok(
        presentDomain(
          await verifyDomain(
            request.ctx,
            request.params.organizationId,
            request.params.domainId,
            request.body ?? {},
          ),
        ),
      ),
  );

  app.delete(
    "/api/v1/organizations/:organizationId/domains/:domainId",
    {
      config: { access },
      schema: {
        tags,
        summary: "Remove an email domain",
        description:
          "The domain no longer lets people in without an invitation; the members it brought in stay.",
        params: domainParams,
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await removeDomain(request.ctx, request.params.organizationId, request.params.domainId);
      return done();
    },
  );
}
