/**
 * The route tables of the tenancy proofs: routes outside any organization (with the reason),
 * a valid body for each mutating route, with `{placeholders}` for the ids of whichever
 * organization a walk aims at, and a valid file for each upload route.
 */
/** Routes that are not about one organization's data, and why calling them as B proves nothing. */
export const OUTSIDE_ORGANIZATIONS: Record<string, string> = {
  "GET /api/v1/health": "public liveness probe",
  "GET /api/v1/ready": "public readiness probe",
  "GET /api/v1/openapi.json": "public API description",
  "POST /api/v1/report-schedules/preview":
    "computes dates from the calendar in its body; reads and stores nothing",
  "POST /api/v1/auth/register": "creates a new account; no organization involved",
  "POST /api/v1/auth/verify-email": "acts on the token holder's own account",
  "POST /api/v1/auth/resend-verification": "answers the same for every address",
  "POST /api/v1/auth/login": "acts on the caller's own credentials",
  "POST /api/v1/auth/refresh": "acts on the caller's own refresh token",
  "POST /api/v1/auth/logout": "acts on the caller's own session",
  "GET /api/v1/auth/sessions": "lists the caller's own sessions",
  "DELETE /api/v1/auth/sessions": "revokes the caller's own other sessions",
  "POST /api/v1/auth/forgot-password": "answers the same for every address",
  "POST /api/v1/auth/reset-password": "acts on the token holder's own account",
  "POST /api/v1/auth/change-password": "acts on the caller's own account",
  "GET /api/v1/users/me": "the caller's own profile",
  "PUT /api/v1/users/me": "the caller's own profile",
  "PATCH /api/v1/users/me": "the caller's own profile",
  "POST /api/v1/users/me/avatar": "the caller's own avatar",
  "DELETE /api/v1/users/me/avatar": "the caller's own avatar",
  "GET /api/v1/files/avatars/:fileId":
    "avatars are public images, like any site's profile pictures",
  "GET /api/v1/permissions": "the permission catalog is the same for everyone",
  "GET /api/v1/organizations": "lists only the caller's own organizations (asserted below)",
  "GET /api/v1/invites/lookup": "needs the invitation's secret token",
  "GET /api/v1/courses": "lists only what the caller may see (asserted below)",
  "GET /api/v1/courses/categories":
    "counts only the courses the caller may see, by the list's rule (asserted below)",
  "GET /api/v1/lookup-values":
    "global values for everyone; an organization's own only for its members (asserted below)",
  "GET /api/v1/learning-events/mine": "the caller's own events",
  "GET /api/v1/enrollments/mine": "the caller's own enrollments",
  "GET /api/v1/waitlist/mine": "the caller's own waitlist places",
  "GET /api/v1/enrollment-requests/mine": "the caller's own requests",
  "GET /api/v1/payments/mine": "the caller's own payments",
  "GET /api/v1/users/me/transcript": "the caller's own transcript",
  "GET /api/v1/certificates/mine": "the caller's own certificates",
  "GET /api/v1/question-bank": "the caller's own bank, outside any organization",
  "POST /api/v1/question-bank": "adds to the caller's own bank, outside any organization",
  "GET /api/v1/certificates/:number/verify":
    "public by design: whoever holds a certificate number may verify it",
  "GET /api/v1/certificates/:number/assertion":
    "public by design: Open Badges verifiers follow hosted assertions",
  "GET /api/v1/badges/issuers/:issuerId":
    "public Open Badges issuer profile, only for organizations that issued certificates (certificate tests)",
  "POST /api/v1/enrollments/redeem":
    "enrolls the caller; a code of another organization's private course answers as unknown (enrollment tests)",
  "POST /api/v1/payments/webhooks/:provider":
    "authenticated by the provider's signature over the body, not by an organization (payment tests)",
  "GET /api/v1/notifications": "the caller's own notifications",
  "GET /api/v1/notifications/unread-count": "the caller's own notifications",
  "POST /api/v1/notifications/read-all": "marks the caller's own notifications",
  "GET /api/v1/notifications/preferences": "the caller's own preferences",
  "PUT /api/v1/notifications/preferences": "the caller's own preferences",
  "POST /api/v1/invites/accept": "needs the invitation's secret token and the invited address",
  "POST /api/v1/invites/accept-new": "needs the invitation's secret token",
  "POST /api/v1/invites/decline": "needs the invitation's secret token",
  "POST /api/v1/integration-webhooks/:integrationId":
    "authenticated by the integration's signing secret over the body, not by an organization; another organization's secret answers 401 (webhook tests)",
  "GET /api/v1/report-files/:token":
    "public by design: an expiring link signed for one report file is the capability (report job tests)",
  "GET /api/v1/webhook-event-types": "the catalog of webhook event types is the same for everyone",
  "POST /api/v1/auth/login/mfa": "needs the challenge token of the caller's own password step",
  "GET /api/v1/auth/mfa": "the caller's own two-step sign-in",
  "POST /api/v1/auth/mfa/enroll": "the caller's own two-step sign-in",
  "POST /api/v1/auth/mfa/confirm": "the caller's own two-step sign-in",
  "POST /api/v1/auth/mfa/recovery-codes": "the caller's own two-step sign-in",
  "POST /api/v1/auth/mfa/disable": "the caller's own two-step sign-in",
  "GET /api/v1/auth/webauthn/credentials": "the caller's own security keys",
  "POST /api/v1/auth/webauthn/registration-options": "the caller's own security keys",
  "POST /api/v1/auth/webauthn/credentials": "the caller's own security keys",
  "POST /api/v1/auth/webauthn/credentials/:credentialId/remove":
    "the caller's own security keys; another person's key answers 404 and stays (webauthn tests)",
  "POST /api/v1/auth/login/mfa/webauthn-options":
    "needs the challenge token of the caller's own password step",
  "GET /api/v1/users/me/privacy": "the caller's own privacy settings",
  "PUT /api/v1/users/me/privacy": "the caller's own privacy settings",
  "GET /api/v1/users/me/access-logs": "reads of the caller's own data",
  "GET /api/v1/users/me/privacy-requests": "the caller's own data subject requests",
  "GET /api/v1/workflow-trigger-events": "the catalog of trigger events is the same for everyone",
  "GET /api/v1/workflow-approvals/mine":
    "approvals the caller may decide, in their own organizations (workflow tests)",
  "POST /api/v1/users/me/privacy-requests":
    "a request about the caller's own account, outside any organization (privacy tests)",
  "GET /api/v1/notification-types":
    "the notification types, their variables and built-in texts are the same for everyone",
  "GET /api/v1/notification-tracking/:token/open.gif":
    "needs the mail's secret tracking token; answers the same pixel for every token",
  "GET /api/v1/notification-tracking/:token/click":
    "needs the mail's secret tracking token; leads only to the app's own pages",
};

/** Routes that answer 200 and refuse item by item; refusal means nothing was accepted. */
export const PER_ITEM = new Set(["POST /api/v1/learning-events/batch"]);

/** Valid bodies for mutating routes, so a refusal is about tenancy and not about validation. */
export const BODIES: Record<string, unknown> = {
  "PATCH /api/v1/organizations/:organizationId": { name: "Renamed by B" },
  "POST /api/v1/organizations/:organizationId/members": {
    email: "{memberEmail}",
    roleKeys: ["learner"],
  },
  "PATCH /api/v1/organizations/:organizationId/members/:userId": { title: "Changed by B" },
  "POST /api/v1/organizations/:organizationId/invites": {
    email: "someone@example.com",
    roleKey: "learner",
  },
  "POST /api/v1/organizations/:organizationId/invites/batch": {
    invites: [{ email: "someone-else@example.com", roleKey: "learner" }],
  },
  "POST /api/v1/organizations/:organizationId/domains": { domain: "planted-by-b.example" },
  "POST /api/v1/organizations/:organizationId/domains/:domainId/verify": {},
  "POST /api/v1/organizations/:organizationId/departments": { name: "Dept by B" },
  "PATCH /api/v1/organizations/:organizationId/departments/:departmentId": { name: "Renamed by B" },
  "POST /api/v1/organizations/:organizationId/teams": { name: "Team by B" },
  "PATCH /api/v1/organizations/:organizationId/teams/:teamId": { name: "Renamed by B" },
  "PUT /api/v1/organizations/:organizationId/teams/:teamId/members/:userId": { role: "member" },
  "POST /api/v1/organizations/:organizationId/roles": {
    key: "b-role",
    name: "B role",
    permissions: [],
  },
  "PATCH /api/v1/organizations/:organizationId/roles/:roleId": { name: "Renamed by B" },
  "PUT /api/v1/organizations/:organizationId/roles/:roleId/permissions": { permissions: [] },
  "POST /api/v1/organizations/:organizationId/role-assignments": {
    userId: "{userId}",
    roleKey: "learner",
  },
  "POST /api/v1/organizations/:organizationId/api-keys": { name: "B key", scopes: [] },
  "PATCH /api/v1/organizations/:organizationId/api-keys/:apiKeyId": { name: "Renamed by B" },
  "POST /api/v1/organizations/:organizationId/scim-tokens": { name: "B provisioning" },
  "POST /api/v1/organizations/:organizationId/employee-imports": {
    csv: "email,first_name,last_name\nimported.by.b@b.example,Imported,ByB\n",
  },
  "PATCH /api/v1/users/:userId/status": { status: "suspended", reason: "by B" },
  "POST /api/v1/organizations": { name: "Made by B" },
  "POST /api/v1/enrollments": { courseId: "{courseId}" },
  "PATCH /api/v1/enrollments/:enrollmentId": { dueAt: null },
  "POST /api/v1/enrollments/:enrollmentId/drop": {},
  "POST /api/v1/enrollments/:enrollmentId/suspend": {},
  "POST /api/v1/enrollments/:enrollmentId/reactivate": {},
  "POST /api/v1/enrollments/:enrollmentId/complete": {},
  "POST /api/v1/waitlist/:entryId/accept": {},
  "POST /api/v1/waitlist/:entryId/decline": {},
  "POST /api/v1/notifications/:notificationId/read": {},
  "POST /api/v1/certificates/:certificateId/revoke": { reason: "Revoked by B" },
  "PATCH /api/v1/question-bank/:questionId": { title: "Renamed by B" },
  "POST /api/v1/modules/:moduleId/quizzes": { title: "Planted by B" },
  "PATCH /api/v1/quizzes/:quizId": { title: "Renamed by B" },
  "PUT /api/v1/quizzes/:quizId/questions/order": { questionIds: ["{quizQuestionId}"] },
  "PATCH /api/v1/quiz-questions/:quizQuestionId": { required: false },
  "POST /api/v1/quizzes/:quizId/questions": {
    question: { type: "true-false", text: "B?", correct: true },
  },
  "POST /api/v1/organizations/:organizationId/question-bank": {
    title: "Planted by B",
    question: { type: "true-false", text: "B?", correct: true },
  },
  "POST /api/v1/organizations/:organizationId/question-bank/import": {
    format: "lyceum-question-bank",
    version: 1,
    questions: [
      { title: "Imported by B", question: { type: "true-false", text: "B?", correct: true } },
    ],
  },
  "POST /api/v1/organizations/:organizationId/question-bank/import-qti": {
    documents: [
      '<qti-assessment-item identifier="b" title="Imported by B"><qti-response-declaration identifier="R" cardinality="single"><qti-correct-response><qti-value>T</qti-value></qti-correct-response></qti-response-declaration><qti-item-body><qti-choice-interaction response-identifier="R"><qti-prompt>B?</qti-prompt><qti-simple-choice identifier="T">True</qti-simple-choice><qti-simple-choice identifier="F">False</qti-simple-choice></qti-choice-interaction></qti-item-body></qti-assessment-item>',
    ],
  },
  "POST /api/v1/quizzes/:quizId/start": {},
  "POST /api/v1/report-jobs/:jobId/cancel": {},
  "PUT /api/v1/report-templates/:templateId": { name: "Renamed by B" },
  "PUT /api/v1/report-schedules/:scheduleId": { name: "Renamed by B" },
  "POST /api/v1/report-schedules/:scheduleId/pause": {},
  "POST /api/v1/report-schedules/:scheduleId/resume": {},
  "POST /api/v1/report-schedules/:scheduleId/run-now": {},
  "POST /api/v1/organizations/:organizationId/report-schedules": {
    name: "Planted by B",
    templateId: "{templateId}",
    frequency: "daily",
    timezone: "UTC",
  },
  "POST /api/v1/report-templates/:templateId/share": { visibility: "organization" },
  "POST /api/v1/report-templates/:templateId/duplicate": {},
  "POST /api/v1/report-templates/:templateId/generate": { outputFormat: "csv" },
  "POST /api/v1/organizations/:organizationId/report-templates": {
    name: "Planted by B",
    definition: { measures: [{ id: "n", type: "count" }] },
  },
  "POST /api/v1/report-jobs/:jobId/retry": {},
  "POST /api/v1/report-jobs/:jobId/duplicate": {},
  "POST /api/v1/report-jobs/:jobId/download-url": {},
  "POST /api/v1/organizations/:organizationId/report-jobs": {
    name: "Planted by B",
    definition: { measures: [{ id: "n", type: "count" }] },
    outputFormat: "csv",
  },
  "PUT /api/v1/attempts/:attemptId/answers": {
    answers: [{ questionId: "{quizQuestionId}", response: { value: false } }],
  },
  "POST /api/v1/attempts/:attemptId/submit": {},
  "POST /api/v1/attempts/:attemptId/grade": {
    answers: [{ questionId: "{quizQuestionId}", points: 0 }],
    feedback: "Regraded by B",
  },
  "PUT /api/v1/courses/:courseId/ratings/mine": { rating: 1, content: "B was here" },
  "PUT /api/v1/ratings/:ratingId/response": { response: "B answers" },
  "POST /api/v1/courses/:courseId/announcements": { title: "From B", content: "<p>B</p>" },
  "PATCH /api/v1/announcements/:announcementId": { title: "Renamed by B" },
  "POST /api/v1/announcements/:announcementId/read": {},
  "POST /api/v1/enrollments/:enrollmentId/certificate": {},
  "PUT /api/v1/courses/:courseId/certificate-settings": { enabled: false },
  "POST /api/v1/lessons/:lessonId/start": {},
  "POST /api/v1/lessons/:lessonId/heartbeat": { seconds: 10, position: 5 },
  "POST /api/v1/lessons/:lessonId/complete": {},
  "PUT /api/v1/lessons/:lessonId/notes": { notes: "B was here" },
  "POST /api/v1/lessons/:lessonId/bookmarks": { position: 1 },
  "POST /api/v1/enrollment-requests": { courseId: "{approvalCourseId}", reason: "B wants in" },
  "POST /api/v1/enrollment-requests/:requestId/approve": {},
  "POST /api/v1/enrollment-requests/:requestId/reject": {},
  "POST /api/v1/courses/:courseId/access-codes": { code: "B-PLANTED-CODE" },
  "PATCH /api/v1/access-codes/:accessCodeId": { isActive: false },
  "POST /api/v1/enrollments/checkout": { courseId: "{paidCourseId}" },
  "POST /api/v1/payments/:paymentId/refund": {},
  "POST /api/v1/payments/:paymentId/mark-paid": { reference: "B-REF" },
  "POST /api/v1/payments/:paymentId/simulate": { outcome: "paid" },
  "POST /api/v1/organizations/:organizationId/seat-allocations": {
    courseId: "{paidCourseId}",
    seats: 5,
  },
  "PATCH /api/v1/organizations/:organizationId/seat-allocations/:allocationId": { seats: 99 },
  "POST /api/v1/organizations/:organizationId/enrollments": {
    userIds: ["{userId}"],
    courseId: "{courseId}",
  },
  "POST /api/v1/courses": {
    code: "B-INTO-A",
    title: "Planted by B",
    organizationId: "{organizationId}",
  },
  "PATCH /api/v1/courses/:courseId": { title: "Renamed by B" },
  "POST /api/v1/courses/:courseId/publish": {},
  "POST /api/v1/courses/:courseId/archive": {},
  "POST /api/v1/courses/:courseId/unpublish": {},
  "PUT /api/v1/courses/:courseId/staff/:userId": { role: "teaching-assistant" },
  "POST /api/v1/courses/:courseId/modules": { title: "Planted by B" },
  "PUT /api/v1/courses/:courseId/modules/order": { moduleIds: ["{moduleId}"] },
  "PATCH /api/v1/modules/:moduleId": { title: "Renamed by B" },
  "POST /api/v1/modules/:moduleId/lessons": {
    title: "Planted",
    contentType: "text",
    content: { html: "<p>B</p>" },
  },
  "PUT /api/v1/modules/:moduleId/lessons/order": { lessonIds: ["{lessonId}"] },
  "PATCH /api/v1/lessons/:lessonId": { title: "Renamed by B" },
  "PATCH /api/v1/lookup-values/:lookupValueId": { displayAs: "Renamed by B" },
  "POST /api/v1/courses/:courseId/cohorts": {
    name: "B cohort",
    startsAt: "2026-05-01T09:00:00Z",
    endsAt: "2026-05-02T17:00:00Z",
    capacity: 10,
  },
  "PATCH /api/v1/cohorts/:cohortId": { name: "Renamed by B" },
  "POST /api/v1/cohorts/:cohortId/status": { status: "cancelled" },
  "POST /api/v1/cohorts/:cohortId/recordings": { title: "B", videoUrl: "https://b.example/v.mp4" },
  "PATCH /api/v1/kit-items/:kitItemId": { title: "Renamed by B" },
  "POST /api/v1/courses/:courseId/kit-items": {
    title: "B",
    type: "slides",
    url: "https://b.example/s.pdf",
  },
  "POST /api/v1/learning-events/batch": {
    events: [{ type: "content-viewed", learnerId: "{userId}", organizationId: "{organizationId}" }],
  },
  "POST /api/v1/organizations/:organizationId/invites/:inviteId/resend": {},
  "POST /api/v1/organizations/:organizationId/roles/:roleId/reset": {},
  "POST /api/v1/organizations/:organizationId/api-keys/:apiKeyId/revoke": {},
  "POST /api/v1/organizations/:organizationId/api-keys/:apiKeyId/rotate": {},
  "POST /api/v1/organizations/:organizationId/lms-integrations": {
    name: "Planted by B",
    code: "planted-by-b",
    lmsType: "moodle",
    method: "api",
    authType: "api-token",
    credentials: { token: "planted-token" },
    baseUrl: "https://moodle.b.example",
    ownerIds: ["{userId}"],
  },
  "PUT /api/v1/lms-integrations/:integrationId": {
    name: "Replaced by B",
    code: "alpha-moodle",
    lmsType: "moodle",
    method: "api",
    authType: "api-token",
    baseUrl: "https://moodle.b.example",
    ownerIds: ["{userId}"],
  },
  "PATCH /api/v1/lms-integrations/:integrationId": {
    name: "Renamed by B",
    credentials: { token: "swapped-by-b" },
    ownerIds: ["{userId}"],
  },
  "POST /api/v1/lms-integrations/:integrationId/test-connection": {},
  "POST /api/v1/lms-integrations/:integrationId/mapping-preview": {
    record: { email: "b@example.com" },
  },
  "POST /api/v1/lms-integrations/:integrationId/sync": {},
  "POST /api/v1/lms-integrations/:integrationId/sftp-poll": {},
  "POST /api/v1/lms-integrations/:integrationId/webhook-secret": {},
  "POST /api/v1/lms-integrations/:integrationId/dead-letters/retry": {},
  "POST /api/v1/lms-integrations/:integrationId/course-links": {
    courseId: "{courseId}",
    externalCourseId: "planted-by-b",
  },
  "POST /api/v1/lms-integrations/:integrationId/exports": {},
  "POST /api/v1/integration-dead-letters/:deadLetterId/discard": {},
  "PUT /api/v1/lms-integrations/:integrationId/monitoring": {
    slaHours: 1,
    incidentAfterFailures: 1,
  },
  "POST /api/v1/lms-integrations/:integrationId/lms-enrollments": {
    externalId: "planted-by-b",
    userId: "{userId}",
    course: { externalId: "b-course", title: "Planted by B" },
    status: "completed",
  },
  "POST /api/v1/organizations/:organizationId/scim-tokens/:scimTokenId/revoke": {},
  "PUT /api/v1/integration-file-imports/:fileImportId/mapping": {
    mapping: { email: "email", courseExternalId: "course_id", courseTitle: "course_title" },
  },
  "POST /api/v1/organizations/:organizationId/webhooks": {
    url: "https://b.example.org/hooks",
    eventTypes: ["enrollment.created"],
  },
  "PATCH /api/v1/webhooks/:webhookId": { description: "Changed by B", status: "disabled" },
  "POST /api/v1/webhooks/:webhookId/rotate-secret": {},
  "POST /api/v1/webhooks/:webhookId/test": {},
  "POST /api/v1/webhook-deliveries/:webhookDeliveryId/redeliver": {},
  "PUT /api/v1/organizations/:organizationId/security-settings": {
    mfaRequired: false,
    sessionTimeoutMinutes: 30,
    ipAllowList: [],
    passwordPolicy: {
      minLength: 12,
      minDigits: 1,
      minSpecial: 1,
      historyCount: 3,
      maxAgeDays: null,
    },
  },
  "POST /api/v1/organizations/:organizationId/compliance/requirements": {
    name: "Planted by B",
    jurisdiction: "EU",
    courseId: "{courseId}",
  },
  "PATCH /api/v1/compliance-requirements/:requirementId": { name: "Renamed by B" },
  "POST /api/v1/compliance-requirements/:requirementId/rules": { scope: "everyone" },
  "PATCH /api/v1/compliance-rules/:ruleId": { isActive: false },
  "POST /api/v1/organizations/:organizationId/compliance/exemptions": {
    requirementId: "{requirementId}",
    userId: "{userId}",
    reason: "Planted by B",
  },
  "POST /api/v1/compliance-exemptions/:exemptionId/revoke": {},
  "POST /api/v1/organizations/:organizationId/compliance/evaluate": {},
  "POST /api/v1/organizations/:organizationId/privacy-requests": {
    type: "export",
    userId: "{userId}",
  },
  "POST /api/v1/organizations/:organizationId/privacy-requests/:privacyRequestId/reject": {
    note: "Rejected by B",
  },
  "POST /api/v1/organizations/:organizationId/privacy-requests/:privacyRequestId/lift": {
    note: "Lifted by B",
  },
  "POST /api/v1/organizations/:organizationId/notification-templates": {
    type: "course-completed",
    channel: "email",
    language: "en",
    subject: "Planted by B",
    body: "Planted by B",
  },
  "POST /api/v1/organizations/:organizationId/notification-templates/preview": {
    type: "course-completed",
    channel: "email",
    language: "en",
    subject: "Preview by B",
    body: "Preview by B",
  },
  "PATCH /api/v1/notification-templates/:notificationTemplateId": { subject: "Planted by B" },
  "POST /api/v1/notification-templates/:notificationTemplateId/submit": {},
  "POST /api/v1/notification-templates/:notificationTemplateId/approve": {},
  "POST /api/v1/notification-templates/:notificationTemplateId/reject": { reason: "By B" },
  "POST /api/v1/notification-templates/:notificationTemplateId/preview": {},
  "PUT /api/v1/organizations/:organizationId/notification-settings": { trackingEnabled: false },
  "POST /api/v1/organizations/:organizationId/compliance/requirements/:requirementId/evidence-packs":
    { from: "2026-01-01", to: "2026-12-31" },
  "POST /api/v1/organizations/:organizationId/workflows": {
    name: "Planted by B",
    trigger: { type: "manual" },
    steps: [
      { type: "approval", approver: { kind: "user", userId: "{userId}" } },
      { type: "assignment", courseId: "{courseId}" },
    ],
  },
  "PATCH /api/v1/workflows/:workflowId": { name: "Changed by B", enabled: false },
  "POST /api/v1/workflows/:workflowId/executions": { subjectUserId: "{userId}" },
  "POST /api/v1/workflow-executions/:workflowExecutionId/approve": { note: "By B" },
  "POST /api/v1/workflow-executions/:workflowExecutionId/reject": { note: "By B" },
  "POST /api/v1/workflow-executions/:workflowExecutionId/cancel": { note: "By B" },
  "POST /api/v1/organizations/:organizationId/compliance/exemption-requests": {
    requirementId: "{requirementId}",
    userId: "{userId}",
    reason: "Planted by B",
  },
};

/**
 * Valid uploads for multipart routes aimed at an organization's objects (sent instead of a
 * JSON body), so a refusal is about tenancy and not about the file.
 */
export const UPLOADS: Record<string, { name: string; type: string; bytes: Buffer }> = {
  "POST /api/v1/courses/:courseId/files": {
    name: "planted-by-b.pdf",
    type: "application/pdf",
    bytes: Buffer.from("%PDF-1.7\n% planted by B\n"),
  },
  "POST /api/v1/lms-integrations/:integrationId/file-imports": {
    name: "planted-by-b.csv",
    type: "text/csv",
    bytes: Buffer.from("email,course_id,course_title\r\nb@b.example,B-1,Planted by B\r\n"),
  },
};

/** A route's path with its parameters filled from `values`; fails on a parameter without one. */
export function fillPath(url: string, values: Record<string, string>): string {
  return url.replace(/:(\w+)/g, (_, name: string) => {
    const value = values[name];
    if (!value)
      throw new Error(
        `no fixture for path parameter :${name} (in ${url}); add one to the tenancy test`,
      );
    return value;
  });
}

/** A body with its `{placeholders}` filled from `values`. */
export function fillBody(body: unknown, values: Record<string, string>): unknown {
  let text = JSON.stringify(body);
  for (const [name, value] of Object.entries(values)) text = text.replaceAll(`{${name}}`, value);
  return JSON.parse(text);
}
