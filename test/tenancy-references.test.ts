/**
 * The tenancy proof for ids inside bodies and queries. From the OpenAPI document it finds every
 * operation field that holds an id; each must be declared a reference (`x-lyceum-ref`) or be
 * listed below with the reason it cannot name another organization's object. Then, as
 * organization B, it sends each reference with organization A's object of that kind (every
 * other field filled with B's own ids) and expects `404 NOT_FOUND` naming that very field and
 * its kind; the same request with B's own object must get past the reference check. Nothing of A may
 * change, no row may start to mention A's objects, and no answer may show A's data.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BATCH } from "../src/modules/events/ingest.js";
import { recordEvents } from "../src/modules/events/record.js";
import type { RegisteredRoute } from "../src/platform/http/server.js";
import { REF_KEY, type RefKind } from "../src/platform/references.js";
import type { Credentials, Res } from "./harness.js";
import { buildWorldOfB, type WorldOfB } from "./tenancy-b.js";
import { buildWorld, snapshotOfA, type World } from "./tenancy-fixtures.js";
import { BODIES, fillBody, fillPath } from "./tenancy-routes.js";

/** Id fields that are not references, and why they cannot reach another organization. */
const NOT_REFERENCES: Record<string, string> = {
  "GET /api/v1/courses query:instructorId":
    "filters the catalog the caller may see anyway; platform instructors belong to no organization",
  "POST /api/v1/organizations/:organizationId/members body:userId":
    "names an account to invite, which lives outside organizations; the answer is the same whether or not it exists (members tests)",
  "POST /api/v1/organizations/:organizationId/report-metadata/preview body:filters.programIds[]":
    "learning programs do not exist yet: the engine refuses program filters",
  "POST /api/v1/organizations/:organizationId/report-metadata/estimate body:filters.programIds[]":
    "learning programs do not exist yet: the engine refuses program filters",
  "POST /api/v1/organizations/:organizationId/report-jobs body:definition.filters.programIds[]":
    "learning programs do not exist yet: the engine refuses program filters",
  "POST /api/v1/organizations/:organizationId/report-templates body:definition.filters.programIds[]":
    "learning programs do not exist yet: the engine refuses program filters",
  "PUT /api/v1/report-templates/:templateId body:definition.filters.programIds[]":
    "learning programs do not exist yet: the engine refuses program filters",
  "POST /api/v1/report-templates/:templateId/generate body:filters.programIds[]":
    "learning programs do not exist yet: the engine refuses program filters",
  "POST /api/v1/organizations/:organizationId/workflows body:steps[].courseId":
    "checked by the workflow's own validation inside its organization (NOT_FOUND naming the step); the walk plants ids in the first step only, whatever its type (workflow tests)",
  "POST /api/v1/organizations/:organizationId/workflows body:steps[].recipient.userId":
    "checked by the workflow's own validation inside its organization (NOT_FOUND naming the step); the walk plants ids in the first step only, whatever its type (workflow tests)",
  "PATCH /api/v1/workflows/:workflowId body:steps[].courseId":
    "checked by the workflow's own validation inside its organization (NOT_FOUND naming the step); the walk plants ids in the first step only, whatever its type (workflow tests)",
  "PATCH /api/v1/workflows/:workflowId body:steps[].recipient.userId":
    "checked by the workflow's own validation inside its organization (NOT_FOUND naming the step); the walk plants ids in the first step only, whatever its type (workflow tests)",
  "GET /api/v1/organizations/:organizationId/workflow-executions query:subjectId":
    "a person or an object: it filters the executions of the organization in the path, so another organization's id matches nothing (workflow tests)",
};

/** Valid bodies for operations whose body in test/tenancy-routes.ts does not fit B's objects. */
const REF_BODIES: Record<string, unknown> = {
  "POST /api/v1/organizations/:organizationId/members": { email: "{memberEmail}" },
  "POST /api/v1/courses/:courseId/modules": { title: "B module" },
  "PATCH /api/v1/modules/:moduleId": { title: "B module" },
  "POST /api/v1/courses/:courseId/cohorts": {
    name: "B cohort",
    startsAt: "2026-05-01T09:00:00Z",
    endsAt: "2026-05-02T17:00:00Z",
    capacity: 10,
  },
  "POST /api/v1/cohorts/:cohortId/recordings": { title: "B", videoUrl: "https://b.example/v.mp4" },
  "POST /api/v1/enrollment-requests": { courseId: "{courseId}" },
  "POST /api/v1/enrollments/redeem": { code: "NO-SUCH-CODE" },
  "POST /api/v1/courses/:courseId/access-codes": {},
  "POST /api/v1/enrollments/checkout": { courseId: "{courseId}" },
  "POST /api/v1/courses/:courseId/announcements": { title: "From B", content: "<p>B</p>" },
  "POST /api/v1/quizzes/:quizId/questions": { bankQuestionId: "{questionId}" },
  "PUT /api/v1/attempts/:attemptId/answers": {
    answers: [{ questionId: "{quizQuestionId}", response: { value: true } }],
  },
  "POST /api/v1/attempts/:attemptId/submit": {
    answers: [{ questionId: "{quizQuestionId}", response: { value: true } }],
  },
  "POST /api/v1/organizations/:organizationId/report-metadata/preview": {
    measures: [{ id: "n", type: "count" }],
  },
  "POST /api/v1/organizations/:organizationId/report-metadata/estimate": {
    measures: [{ id: "n", type: "count" }],
  },
  "PUT /api/v1/report-templates/:templateId": {
    definition: { measures: [{ id: "n", type: "count" }] },
  },
  "POST /api/v1/report-templates/:templateId/generate": {},
  "POST /api/v1/report-templates/:templateId/share": { visibility: "organization" },
  "POST /api/v1/organizations/:organizationId/workflows": {
    name: "Planted by B",
    trigger: { type: "manual" },
    steps: [
      {
        type: "approval",
        approver: { kind: "user", userId: "{userId}" },
        timeoutHours: 1,
        escalateTo: { kind: "user", userId: "{userId}" },
      },
      { type: "notification", recipient: { kind: "user", userId: "{userId}" }, message: "B" },
      { type: "assignment", courseId: "{courseId}" },
    ],
  },
  "PATCH /api/v1/workflows/:workflowId": {
    steps: [
      {
        type: "approval",
        approver: { kind: "user", userId: "{userId}" },
        timeoutHours: 1,
        escalateTo: { kind: "user", userId: "{userId}" },
      },
      { type: "notification", recipient: { kind: "user", userId: "{userId}" }, message: "B" },
      { type: "assignment", courseId: "{courseId}" },
    ],
  },
};

/** Which fixture holds the object of each reference kind. */
const FIXTURE_OF_KIND: Record<string, string> = {
  organization: "organizationId",
  user: "userId",
  department: "departmentId",
  team: "teamId",
  course: "courseId",
  module: "moduleId",
  lesson: "lessonId",
  cohort: "cohortId",
  enrollment: "enrollmentId",
  quiz: "quizId",
  "quiz-question": "quizQuestionId",
  "bank-question": "questionId",
  attempt: "attemptId",
  "report-template": "templateId",
  "report-schedule": "scheduleId",
  content: "lessonId",
  "lms-integration": "integrationId",
  "integration-dead-letter": "deadLetterId",
  "compliance-requirement": "requirementId",
  "compliance-rule": "ruleId",
  workflow: "workflowId",
};

interface Field {
  /** `METHOD /url/:param` as Fastify registers it. */
  route: string;
  method: string;
  url: string;
  in: "body" | "query";
  /** Property names, `[]` for an array's items. */
  segments: string[];
  kind?: string;
}

type JsonSchema = Record<string, unknown>;

/** Every field of every operation's body and query that holds an id, with its declared kind. */
function idFields(doc: JsonSchema): Field[] {
  const components = ((doc.components as JsonSchema)?.schemas ?? {}) as Record<string, JsonSchema>;
  const fields: Field[] = [];
  for (const [path, ops] of Object.entries(doc.paths as Record<string, JsonSchema>)) {
    for (const [method, op] of Object.entries(ops as Record<string, JsonSchema>)) {
      const url = path.replace(/\{(\w+)\}/g, ":$1");
      const base = { route: `${method.toUpperCase()} ${url}`, method: method.toUpperCase(), url };
      for (const param of (op.parameters ?? []) as JsonSchema[]) {
        if (param.in !== "query") continue;
        walk(param.schema as JsonSchema, [param.name as string], (segments, kind) =>
          fields.push({ ...base, in: "query", segments, kind }),
        );
      }
      const body = (op.requestBody as JsonSchema | undefined)?.content as
        | Record<string, JsonSchema>
        | undefined;
      const schema = body?.["application/json"]?.schema as JsonSchema | undefined;
      if (schema)
        walk(schema, [], (segments, kind) => fields.push({ ...base, in: "body", segments, kind }));
    }
  }
  return fields;

  function walk(
    s: JsonSchema | undefined,
    segments: string[],
    found: (segments: string[], kind?: string) => void,
    depth = 0,
  ): void {
    if (!s || depth > 12) return;
    if (typeof s.$ref === "string") {
      walk(components[s.$ref.split("/").pop() as string], segments, found, depth + 1);
      return;
    }
    const kind = s[REF_KEY] as string | undefined;
    if (kind || s.format === "uuid") {
      found(segments, kind);
      return;
    }
    for (const key of ["anyOf", "oneOf", "allOf"])
      for (const option of (s[key] ?? []) as JsonSchema[]) walk(option, segments, found, depth + 1);
    if (s.items) walk(s.items as JsonSchema, [...segments, "[]"], found, depth + 1);
    for (const [name, child] of Object.entries((s.properties ?? {}) as Record<string, JsonSchema>))
      walk(child, [...segments, name], found, depth + 1);
  }
}

const fieldKey = (f: Field) => `${f.route} ${f.in}:${f.segments.join(".").replaceAll(".[]", "[]")}`;

/** Sets a field (creating what leads to it) and gives the path an error would name. */
function place(target: Record<string, unknown>, segments: string[], id: string): string {
  let node: unknown = target;
  const path: string[] = [];
  for (const [i, segment] of segments.entries()) {
    const last = i === segments.length - 1;
    const next = segments[i + 1];
    if (segment === "[]") {
      const list = node as unknown[];
      path.push("0");
      if (last) list.splice(0, list.length, id);
      else {
        if (typeof list[0] !== "object" || list[0] === null) list[0] = next === "[]" ? [] : {};
        node = list[0];
      }
      continue;
    }
    const record = node as Record<string, unknown>;
    path.push(segment);
    if (last) {
      record[segment] = id;
    } else {
      const wantArray = next === "[]";
      const current = record[segment];
      if (wantArray ? !Array.isArray(current) : typeof current !== "object" || current === null)
        record[segment] = wantArray ? [] : {};
      node = record[segment];
    }
  }
  return path.join(".");
}

let w: World;
let b: WorldOfB;
let fields: Field[];

beforeAll(async () => {
  w = await buildWorld();
  b = await buildWorldOfB(w);
  const doc = await w.t.http.get("/api/v1/openapi.json");
  fields = idFields(doc.body);
});

afterAll(() => w?.t.close());

/** Rows of each table that mention any of A's objects, to see that none is added. */
async function rowsMentioningA(): Promise<Record<string, number>> {
  const db = w.t.system.db;
  const patterns = Object.values(w.fixtures)
    .filter((v) => /^[0-9a-f-]{36}$/.test(v))
    .map((id) => `%${id}%`);
  const { rows: tables } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`.execute(db);
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from ${sql.table(name)} t where t::text like any (${patterns})`.execute(
      db,
    );
    counts[name] = rows[0]?.n ?? 0;
  }
  return counts;
}

interface WalkOptions {
  /** Only fields of these kinds (the planted-bug check walks a few). */
  kinds?: string[];
}

/**
 * Sends every reference as B with A's object and with B's own, and says what went wrong:
 * an id field that declares no reference, an A id that was not refused naming its field, or
 * a B id that the reference check refused.
 */
async function walkReferences(options: WalkOptions = {}): Promise<string[]> {
  const problems: string[] = [];
  const routes = new Map<string, RegisteredRoute>(
    w.t.lyceum.routes.map((r) => [`${r.method} ${r.url}`, r]),
  );
  const aOf = (kind: string) => w.fixtures[FIXTURE_OF_KIND[kind] as string] as string;
  const bOf = (kind: string) => b.fixtures[FIXTURE_OF_KIND[kind] as string] as string;
  for (const field of fields) {
    const key = fieldKey(field);
    if (!field.kind) {
      if (!NOT_REFERENCES[key] && !options.kinds)
        problems.push(`${key}: an id field that declares no reference (ref(kind)), nor a reason`);
      continue;
    }
    if (options.kinds && !options.kinds.includes(field.kind)) continue;
    if (!FIXTURE_OF_KIND[field.kind]) {
      problems.push(`${key}: no fixture for reference kind ${field.kind}`);
      continue;
    }
    const route = routes.get(field.route);
    if (!route) {
      problems.push(`${key}: not a registered route`);
      continue;
    }
    const access = route.access;
    const platform = "platform" in access && !!access.platform;
    const orgInPath = field.url.includes(":organizationId");
    if (platform && !orgInPath) continue; // platform administrators' own routes see everything
    // A route bound by the caller's own attempt (`referencesBoundByPath`) reaches the check of
    // the ids its body names only for the attempt's learner, so it is sent as B's learner.
    const as: Credentials = route.boundByPath
      ? b.attemptTaker
      : platform
        ? b.platformAdmin
        : w.adminB;
    const send = (id: string, caller = as): Promise<{ res: Res; path: string }> => {
      const values = { ...b.fixtures };
      let url = fillPath(field.url, values);
      const body =
        field.method === "GET" || field.method === "DELETE"
          ? undefined
          : (fillBody(REF_BODIES[field.route] ?? BODIES[field.route] ?? {}, values) as Record<
              string,
              unknown
            >);
      let path: string;
      if (field.in === "query") {
        path = field.segments[0] as string;
        url += `${url.includes("?") ? "&" : "?"}${path}=${id}`;
      } else {
        path = place(body as Record<string, unknown>, field.segments, id);
      }
      return w.t.http
        .request(field.method as "GET", url, { body, as: caller })
        .then((res) => ({ res, path }));
    };
    const foreign = await send(aOf(field.kind));
    const error = foreign.res.body?.error;
    const named =
      error?.field === foreign.path ||
      (field.in === "query" && error?.field?.startsWith(`${foreign.path}.`));
    if (
      foreign.res.status !== 404 ||
      error?.code !== "NOT_FOUND" ||
      !named ||
      error.details?.kind !== field.kind
    ) {
      problems.push(
        `${key}: A's ${field.kind} answered ${foreign.res.status} ${JSON.stringify(foreign.res.body).slice(0, 200)}`,
      );
    }
    for (const secret of w.secretsOfA)
      if (JSON.stringify(foreign.res.body).includes(secret))
        problems.push(`${key}: the answer showed "${secret}"`);
    if ("permission" in access && access.apiKeys !== false && !platform) {
      const viaKey = await send(aOf(field.kind), w.keyB);
      if (![401, 403, 404].includes(viaKey.res.status))
        problems.push(`${key}: B's API key with A's ${field.kind} answered ${viaKey.res.status}`);
    }
    const own = await send(bOf(field.kind));
    const ownError = own.res.body?.error;
    // The reference check names the kind; a service's own 404 (a module of another course)
    // is about the relation, not the organization.
    if (own.res.status === 404 && ownError?.details?.kind && ownError.field?.startsWith(own.path)) {
      problems.push(`${key}: B's own ${field.kind} was refused: ${JSON.stringify(ownError)}`);
    }
  }
  return problems;
}

describe("tenancy: ids inside bodies and queries resolve inside the caller's organization", () => {
  it("finds id fields in the API description", () => {
    expect(fields.length).toBeGreaterThan(60);
    expect(fields.filter((f) => f.kind).length).toBeGreaterThan(60);
  });

  it("refuses A's objects in every body and query reference, and changes nothing of A", async () => {
    const before = await snapshotOfA(w);
    const mentions = await rowsMentioningA();
    expect(await walkReferences()).toEqual([]);
    expect(await snapshotOfA(w)).toEqual(before);
    expect(await rowsMentioningA()).toEqual(mentions);
  });

  it("refuses A's objects named inside learning events, item by item", async () => {
    const base = {
      type: "content-viewed",
      learnerId: b.fixtures.userId,
      organizationId: w.orgB,
      courseId: b.fixtures.courseId,
      cohortId: b.fixtures.cohortId,
      contentId: b.fixtures.lessonId,
      enrollmentId: b.fixtures.enrollmentId,
    };
    const fieldsOfEvent = {
      courseId: w.fixtures.courseId,
      cohortId: w.fixtures.cohortId,
      contentId: w.fixtures.lessonId,
      enrollmentId: w.fixtures.enrollmentId,
      learnerId: w.fixtures.userId,
    };
    const events = [
      base,
      ...Object.entries(fieldsOfEvent).map(([field, id]) => ({ ...base, [field]: id })),
    ];
    expect(events.length).toBeLessThan(MAX_BATCH);
    for (const as of [w.adminB, w.keyB]) {
      const res = await w.t.http.post("/api/v1/learning-events/batch", { events }, as);
      expect(res.status).toBe(200);
      const results = res.body.data.results as Array<{
        status: string;
        error?: { code: string; field?: string };
      }>;
      expect(results[0]?.status).toBe("accepted");
      expect(results.slice(1).map((r) => [r.status, r.error?.code, r.error?.field])).toEqual(
        Object.keys(fieldsOfEvent).map((f) => ["rejected", "NOT_FOUND", f]),
      );
    }
    const stored = await w.t.system.db
      .selectFrom("learning_events")
      .select("id")
      .where("organization_id", "=", w.orgB)
      .where((eb) =>
        eb.or([
          eb("course_id", "=", w.fixtures.courseId as string),
          eb("cohort_id", "=", w.fixtures.cohortId as string),
          eb("content_id", "=", w.fixtures.lessonId as string),
          eb("enrollment_id", "=", w.fixtures.enrollmentId as string),
        ]),
      )
      .execute();
    expect(stored).toEqual([]);
  });

  it("shows nothing of A in B's reports when a row names A's objects anyway", async () => {
    // A stray row, as a bug or data stored before references were checked could leave it.
    await recordEvents(w.t.system, [
      {
        type: "content-viewed",
        learnerId: b.fixtures.userId as string,
        organizationId: w.orgB,
        courseId: w.fixtures.courseId,
        cohortId: w.fixtures.cohortId,
        enrollmentId: w.fixtures.enrollmentId,
        source: "client",
      },
    ]);
    const res = await w.t.http.post(
      `/api/v1/organizations/${w.orgB}/report-metadata/preview?limit=100`,
      {
        dimensions: [
          { entity: "course", fields: ["id", "title", "code"] },
          { entity: "class", fields: ["id", "name"] },
          { entity: "instructor", fields: ["name", "email"] },
        ],
        measures: [{ id: "events", type: "event-count" }],
        // B's sign-ins are B's events too, with no course: leave them out of the count.
        filters: { activityTypes: ["content-viewed"] },
      },
      w.adminB,
    );
    expect(res.status).toBe(200);
    const text = JSON.stringify(res.body);
    for (const secret of [
      ...w.secretsOfA,
      "Alpha Confidential Onboarding",
      "ALPHA-101",
      "Alpha Secret Cohort",
    ])
      expect(text).not.toContain(secret);
    expect(text).not.toContain(w.fixtures.courseId);
    expect(res.body.data.rows).toContainEqual({
      values: {
        "course.id": null,
        "course.title": null,
        "course.code": null,
        "class.id": null,
        "class.name": null,
        "instructor.name": null,
        "instructor.email": null,
        events: 1,
      },
      total: false,
      kind: "detail",
    });
  });

  it("fails when a reference kind stops checking the organization (a planted bug)", async () => {
    const references = w.t.lyceum.services.references as unknown as {
      kinds: Record<string, RefKind>;
    };
    const course = references.kinds.course as RefKind;
    const visible = course.visible;
    course.visible = () => true;
    try {
      const problems = await walkReferences({ kinds: ["course"] });
      expect(problems.length).toBeGreaterThan(5);
      expect(problems.join("\n")).toContain("POST /api/v1/courses body:prerequisiteCourseIds[]");
    } finally {
      course.visible = visible;
    }
  });
});
