import type { FastifyRequest } from "fastify";
import type { z } from "zod";
import type { Db } from "../../db/connection.js";
import { isUuid } from "../ids.js";
import {
  actorScope,
  collectRefs,
  type FoundRef,
  hasRefs,
  organizationScope,
  type References,
  type RefScope,
  scopeWithTenants,
} from "../references.js";

/**
 * The kind of object a path parameter names. A route whose body or query declares
 * references is aimed at the organization of its path object (the course of
 * `/courses/:courseId/…`), so the first object parameter of such a route must be listed here.
 * The organization security guard reads the organization of every object listed here that a
 * request's path names outside `/organizations/:organizationId/…`, so an organization's rules
 * cover its courses, enrollments, attempts … wherever they are addressed.
 */
export const PATH_KINDS: Readonly<Record<string, string>> = {
  courseId: "course",
  moduleId: "module",
  lessonId: "lesson",
  cohortId: "cohort",
  quizId: "quiz",
  quizQuestionId: "quiz-question",
  attemptId: "attempt",
  questionId: "bank-question",
  templateId: "report-template",
  enrollmentId: "enrollment",
  integrationId: "lms-integration",
  requirementId: "compliance-requirement",
  ruleId: "compliance-rule",
  workflowId: "workflow",
  certificateId: "certificate",
  announcementId: "announcement",
  ratingId: "rating",
  kitItemId: "kit-item",
  recordingId: "recording",
  accessCodeId: "access-code",
  requestId: "enrollment-request",
  entryId: "waitlist-entry",
  paymentId: "payment",
  scheduleId: "report-schedule",
  deadLetterId: "integration-dead-letter",
  jobId: "report-job",
  runId: "integration-sync-run",
  fileImportId: "integration-file-import",
  courseLinkId: "integration-course-link",
  exemptionId: "compliance-exemption",
  workflowExecutionId: "workflow-execution",
  fileId: "file",
  lookupValueId: "lookup-value",
  notificationTemplateId: "notification-template",
  webhookId: "webhook",
  webhookDeliveryId: "webhook-delivery",
  privacyRequestId: "privacy-request",
};

/**
 * Path parameters that name no organization's object: the caller's own things (sessions,
 * passkeys, notifications, bookmarks), people (a person belongs to no one organization), a
 * payment provider, and public tokens and numbers. Every other parameter of a route outside
 * `/organizations/:organizationId` must be in PATH_KINDS (checked by a test in
 * src/modules/identity/org-security-resources.test.ts), so a new route cannot slip past the
 * organization security rules unnoticed.
 */
export const PATH_PARAMS_OUTSIDE_ORGANIZATIONS: ReadonlySet<string> = new Set([
  "sessionId",
  "credentialId",
  "notificationId",
  "bookmarkId",
  "userId",
  "provider",
  "token",
  "number",
  "issuerId",
]);

/** The objects a request's path names (by PATH_KINDS), outside any organization's path. */
export function pathObjects(params: unknown): Array<{ param: string; kind: string; id: string }> {
  if (!params || typeof params !== "object") return [];
  const record = params as Record<string, unknown>;
  if (record.organizationId !== undefined) return [];
  const found: Array<{ param: string; kind: string; id: string }> = [];
  for (const [param, value] of Object.entries(record)) {
    const kind = PATH_KINDS[param];
    if (kind && typeof value === "string" && isUuid(value)) found.push({ param, kind, id: value });
  }
  return found;
}

/** What a route's references need at request time, worked out once at start-up. */
export interface ReferencePlan {
  body: boolean;
  query: boolean;
  /** The path parameter whose object the route acts in, when not an organization. */
  home?: { param: string; kind: string };
  /** The route names its organization in the path. */
  organizationParam: boolean;
}

interface RouteSchemas {
  body?: unknown;
  querystring?: unknown;
}

/**
 * The reference plan of a route, or undefined when its body and query name no references.
 * Throws at start-up when a kind is unknown or the route's path object has no kind, so a
 * reference can never be declared and then silently not checked.
 */
export function planReferences(
  method: string,
  url: string,
  schema: RouteSchemas | undefined,
  references: References,
): ReferencePlan | undefined {
  const body = hasRefs(schema?.body as z.ZodType | undefined);
  const query = hasRefs(schema?.querystring as z.ZodType | undefined);
  if (!body && !query) return undefined;
  const params = [...url.matchAll(/:(\w+)/g)].map((m) => m[1] as string);
  const organizationParam = params.includes("organizationId");
  const first = params.find((p) => p !== "organizationId");
  let home: ReferencePlan["home"];
  if (!organizationParam && first) {
    const kind = PATH_KINDS[first];
    if (!kind || !references.known(kind)) {
      throw new Error(
        `${method} ${url} declares references but :${first} has no reference kind (PATH_KINDS)`,
      );
    }
    home = { param: first, kind };
  }
  return { body, query, home, organizationParam };
}

/**
 * Resolves every reference a request's body and query name inside the caller's organization,
 * before the handler runs: the organization in the path, else the one the path object lives
 * in, else the organizations the caller acts in (all of them for a platform administrator).
 * An enclosing tenant field (a body's `organizationId`) narrows its siblings to that one.
 * A path object in an organization the caller does not act in answers as not found.
 */
export async function checkRequestReferences(
  request: FastifyRequest,
  plan: ReferencePlan,
  references: References,
  db: Db,
): Promise<void> {
  const schema = request.routeOptions.schema as RouteSchemas | undefined;
  const found: FoundRef[] = [
    ...(plan.body ? collectRefs(schema?.body as z.ZodType, request.body) : []),
    ...(plan.query ? collectRefs(schema?.querystring as z.ZodType, request.query) : []),
  ];
  if (!found.length) return;
  const actor = request.actor;
  const access = await actor.access();
  const params = (request.params ?? {}) as Record<string, string>;
  const route = request.routeOptions.config.access;
  const permission = route && "permission" in route ? route.permission : undefined;
  const own = actorScope(actor, access, { permission });
  // The path object and every reference, read in one statement.
  const homeId = plan.home ? params[plan.home.param] : undefined;
  const loaded = await references.load(
    db,
    plan.home && homeId ? [...found, { kind: plan.home.kind, id: homeId }] : found,
  );
  let base: RefScope;
  if (plan.organizationParam && params.organizationId) {
    base = organizationScope(params.organizationId, own.userId);
  } else if (plan.home && homeId) {
    const home = references.homeIn(loaded, plan.home.kind, homeId);
    if (home === undefined || (home !== null && !own.all && !own.organizations.includes(home))) {
      throw references.notFound({ path: plan.home.param, kind: plan.home.kind, id: homeId });
    }
    base =
      home === null
        ? actorScope(actor, access, { permission, platformCatalog: true })
        : organizationScope(home, own.userId);
  } else {
    base = own;
  }
  // Every organization the request names an object of is one it acts in: its rules apply
  // (memoized per organization, so the path's own costs nothing more here).
  const enter = request.ctx?.enterOrganization;
  if (enter) {
    const homes = new Set<string>();
    for (const r of found) {
      const home = references.homeIn(loaded, r.kind, r.id);
      if (home) homes.add(home);
    }
    if (plan.home && homeId) {
      const home = references.homeIn(loaded, plan.home.kind, homeId);
      if (home) homes.add(home);
    }
    for (const organizationId of homes) await enter(organizationId);
  }
  const [missing] = references.unresolvedIn(
    loaded,
    found,
    scopeWithTenants(base, actor, access, permission),
  );
  if (missing) throw references.notFound(missing);
}
