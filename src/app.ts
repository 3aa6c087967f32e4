import { readFileSync } from "node:fs";
import path from "node:path";
import pino, { type Logger } from "pino";
import type { Config } from "./config.js";
import { connect, type DatabaseHandle } from "./db/connection.js";
import { migrate } from "./db/migrate.js";
import { restrictedPeople } from "./modules/access/learner-privacy.js";
import { syncCatalog } from "./modules/access/provision.js";
import { accessRoutes } from "./modules/access/routes.js";
import { createGrader, type GraderProvider } from "./modules/assessments/ai-grading.js";
import { attemptRoutes } from "./modules/assessments/attempt-routes.js";
import { ASSESSMENT_SCHEDULE, assessmentJobs } from "./modules/assessments/jobs.js";
import { quizRoutes } from "./modules/assessments/quiz-routes.js";
import { assessmentRefKinds } from "./modules/assessments/references.js";
import { assessmentReportRoutes } from "./modules/assessments/report-routes.js";
import { assessmentRoutes } from "./modules/assessments/routes.js";
import { AUDIT_SCHEDULE, auditJobs } from "./modules/audit/jobs.js";
import { auditRoutes } from "./modules/audit/routes.js";
import { providePublicationGate } from "./modules/catalog/courses.js";
import { CATALOG_CHANNEL, ListingCache } from "./modules/catalog/listing-cache.js";
import { catalogRefKinds } from "./modules/catalog/references.js";
import { catalogRoutes } from "./modules/catalog/routes.js";
import { subscribeCertificates } from "./modules/certificates/certificates.js";
import { certificateRefKinds } from "./modules/certificates/references.js";
import { certificateRoutes } from "./modules/certificates/routes.js";
import { cohortRefKinds } from "./modules/cohorts/references.js";
import { cohortRoutes } from "./modules/cohorts/routes.js";
import { subscribeCompliance } from "./modules/compliance/evaluate.js";
import { EVIDENCE_PACK_REPORT, evidencePackProducer } from "./modules/compliance/evidence.js";
import { complianceEvidenceRoutes } from "./modules/compliance/evidence-routes.js";
import { COMPLIANCE_SCHEDULE, complianceJobs } from "./modules/compliance/jobs.js";
import { complianceRefKinds } from "./modules/compliance/references.js";
import { complianceRoutes } from "./modules/compliance/routes.js";
import { complianceReportRows } from "./modules/compliance/status.js";
import { assignmentRoutes } from "./modules/enrollment/assignment-routes.js";
import { ENROLLMENT_SCHEDULE, enrollmentJobs } from "./modules/enrollment/jobs.js";
import { enrollmentPathRoutes } from "./modules/enrollment/path-routes.js";
import { paymentRoutes, paymentWebhookRoutes } from "./modules/enrollment/payment-routes.js";
import { enrollmentRefKinds } from "./modules/enrollment/references.js";
import { provideRequestApproval } from "./modules/enrollment/requests.js";
import { enrollmentRoutes } from "./modules/enrollment/routes.js";
import { syncLookupValues } from "./modules/events/reference.js";
import { eventRefKinds } from "./modules/events/references.js";
import { eventRoutes, subscribeEventRecording } from "./modules/events/routes.js";
import { FEEDBACK_SCHEDULE, feedbackJobs } from "./modules/feedback/jobs.js";
import { feedbackRefKinds } from "./modules/feedback/references.js";
import { feedbackRoutes } from "./modules/feedback/routes.js";
import { authRoutes } from "./modules/identity/auth-routes.js";
import { createAuthenticator } from "./modules/identity/authenticator.js";
import { mfaRoutes, organizationSecurityRoutes } from "./modules/identity/mfa-routes.js";
import { organizationSecurityGuard } from "./modules/identity/org-security.js";
import {
  ORG_SECURITY_CHANNEL,
  OrganizationSecurityCache,
} from "./modules/identity/org-security-cache.js";
import { ACCESS_CHANNEL, SessionCache } from "./modules/identity/session-cache.js";
import { userRoutes } from "./modules/identity/user-routes.js";
import { webauthnRoutes } from "./modules/identity/webauthn-routes.js";
import { createConnector } from "./modules/integrations/connectors/registry.js";
import type { ConnectorFactory } from "./modules/integrations/connectors/types.js";
import { exportRoutes } from "./modules/integrations/exports/routes.js";
import { fileImportRoutes } from "./modules/integrations/files/routes.js";
import { integrationRefKinds } from "./modules/integrations/references.js";
import { integrationRoutes } from "./modules/integrations/routes.js";
import { SYNC_SCHEDULE, syncJobs } from "./modules/integrations/sync/jobs.js";
import { syncRoutes } from "./modules/integrations/sync/routes.js";
import { loadSyncTarget } from "./modules/integrations/sync/target.js";
import { WEBHOOK_SCHEDULE, webhookJobs } from "./modules/integrations/webhooks/jobs.js";
import { webhookReceiveRoutes, webhookRoutes } from "./modules/integrations/webhooks/routes.js";
import { NOTIFICATION_SCHEDULE, notificationJobs } from "./modules/notifications/digests.js";
import { provideRestrictionCheck } from "./modules/notifications/notify.js";
import { notificationRefKinds } from "./modules/notifications/references.js";
import { notificationRoutes } from "./modules/notifications/routes.js";
import { DOMAIN_SCHEDULE, domainJobs } from "./modules/organizations/domain-checks.js";
import { subscribeOrganizationEvents } from "./modules/organizations/events.js";
import { membershipLookup } from "./modules/organizations/memberships.js";
import { organizationRefKinds } from "./modules/organizations/references.js";
import { organizationRoutes } from "./modules/organizations/routes.js";
import { subscribePrivacy } from "./modules/privacy/access-log.js";
import { PRIVACY_SCHEDULE, privacyJobs } from "./modules/privacy/jobs.js";
import { privacyRefKinds } from "./modules/privacy/references.js";
import { retentionRoutes } from "./modules/privacy/retention-routes.js";
import { privacyRoutes } from "./modules/privacy/routes.js";
import { learnsFrom } from "./modules/progress/access.js";
import { lessonContentRoutes, materialRoutes } from "./modules/progress/content-routes.js";
import { progressRoutes } from "./modules/progress/routes.js";
import { reportJobRoutes } from "./modules/reports/job-routes.js";
import { learnerReportRoutes } from "./modules/reports/learner-routes.js";
import { REPORT_SCHEDULE, reportMaintenanceJobs } from "./modules/reports/maintenance.js";
import { syncPredefinedTemplates } from "./modules/reports/predefined.js";
import { provideJobProducer } from "./modules/reports/producers.js";
import { reportRefKinds } from "./modules/reports/references.js";
import { provideComplianceStatus } from "./modules/reports/registry.js";
import { reportRoutes } from "./modules/reports/routes.js";
import { ReportRunner } from "./modules/reports/runner.js";
import { reportScheduleRoutes } from "./modules/reports/schedule-routes.js";
import { reportTemplateRoutes } from "./modules/reports/template-routes.js";
import { employeeImportRoutes } from "./modules/scim/import-routes.js";
import { scimRoutes } from "./modules/scim/routes.js";
import { scimTokenRoutes } from "./modules/scim/token-routes.js";
import {
  EMBEDDED_MAINTENANCE_SCHEDULE,
  MAINTENANCE_SCHEDULE,
  maintenanceJobs,
} from "./modules/system/maintenance.js";
import { systemRoutes } from "./modules/system/routes.js";
import {
  loadWebBuild,
  type WebBuild,
  webAppRoutes,
  webFallback,
} from "./modules/system/web-app.js";
import { OUTBOUND_WEBHOOK_SCHEDULE, outboundWebhookJobs } from "./modules/webhooks/jobs.js";
import { subscribeWebhooks } from "./modules/webhooks/outbox.js";
import { webhookRefKinds } from "./modules/webhooks/references.js";
import { outboundWebhookRoutes } from "./modules/webhooks/routes.js";
import { publicationGate } from "./modules/workflows/builtins.js";
import { enrollmentApproval } from "./modules/workflows/enrollment-approval.js";
import { subscribeWorkflows } from "./modules/workflows/events.js";
import { WORKFLOW_SCHEDULE, workflowJobs } from "./modules/workflows/jobs.js";
import { workflowRefKinds } from "./modules/workflows/references.js";
import { workflowRoutes } from "./modules/workflows/routes.js";
import { TokenService } from "./platform/auth/tokens.js";
import { type Clock, systemClock } from "./platform/clock.js";
import type { AppServices, Ctx } from "./platform/context.js";
import { DnsTxtResolver, type TxtResolver } from "./platform/dns.js";
import { EventBus } from "./platform/events.js";
import { createHttpServer, type RegisteredRoute } from "./platform/http/server.js";
import { Scheduler } from "./platform/jobs/scheduler.js";
import { Worker } from "./platform/jobs/worker.js";
import { Mailer } from "./platform/mail/mailer.js";
import { ConsoleTransport, type MailTransport, SmtpTransport } from "./platform/mail/transport.js";
import { createPaymentProviders } from "./platform/payments/index.js";
import type { PaymentProvider, ProviderName } from "./platform/payments/provider.js";
import { References } from "./platform/references.js";
import { SecretBox } from "./platform/secrets.js";
import { S3Storage } from "./platform/storage/s3.js";
import { LocalStorage, type StorageProvider } from "./platform/storage/storage.js";

export const VERSION: string = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
).version;

export interface BuildOptions {
  config: Config;
  /** An open database; otherwise one is opened from the config. */
  database?: DatabaseHandle;
  clock?: Clock;
  mailTransport?: MailTransport;
  storage?: StorageProvider;
  logger?: Logger;
  /** Payment providers in place of the configured ones (tests point Stripe at a stand-in). */
  payments?: Partial<Record<ProviderName, PaymentProvider>>;
  /** A grader in place of the configured one. */
  grader?: GraderProvider | null;
  /** A DNS resolver in place of the configured one. */
  dns?: TxtResolver;
  /** Builds integration connectors (tests point them at local fakes or stand-ins). */
  connectors?: ConnectorFactory;
  /**
   * The built web app served at `/` (web/dist when it exists); null serves none and `/`
   * answers a short page pointing at the API documentation.
   */
  web?: WebBuild | null;
  /** Worker tuning, for tests. */
  worker?: { pollMs?: number; leaseMs?: number; concurrency?: number };
}

export type Lyceum = Awaited<ReturnType<typeof buildApp>>;

export function createLogger(config: Config): Logger {
  return pino({
    level: config.log.level,
    redact: ["req.headers.authorization", "req.headers.cookie", 'req.headers["x-api-key"]'],
    ...(config.log.pretty
      ? {
          transport: {
            target: "pino-pretty",
            options: { translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname" },
          },
        }
      : {}),
  });
}

/**
 * The long-lived services over an open database: clock, mail outbox, file storage, domain
 * events (with every module's subscriptions) and token signing. Shared by the server and
 * the one-off CLI commands.
 */
export function createServices(
  config: Config,
  database: DatabaseHandle,
  options: Pick<
    BuildOptions,
    "clock" | "mailTransport" | "storage" | "payments" | "grader" | "dns" | "connectors"
  >,
  log: Logger,
): AppServices {
  const clock = options.clock ?? systemClock;
  const transport =
    options.mailTransport ??
    (config.mail.smtpUrl ? new SmtpTransport(config.mail.smtpUrl) : new ConsoleTransport(log));
  const services: AppServices = {
    db: database.db,
    config,
    clock,
    log,
    mailer: new Mailer(transport, config.mail.from, clock, log),
    storage:
      options.storage ??
      (config.storage.provider === "s3" && config.storage.s3
        ? new S3Storage(config.storage.s3)
        : new LocalStorage(path.join(config.dataDir, "files"))),
    events: new EventBus<Ctx>(),
    tokens: new TokenService(config.secret),
    payments: createPaymentProviders(config, options.payments),
    grader: options.grader !== undefined ? options.grader : createGrader(config.assessments),
    references: new References({
      ...organizationRefKinds,
      ...catalogRefKinds,
      ...cohortRefKinds,
      ...enrollmentRefKinds,
      ...assessmentRefKinds,
      ...reportRefKinds,
      ...integrationRefKinds,
      ...complianceRefKinds,
      ...workflowRefKinds,
      ...certificateRefKinds,
      ...feedbackRefKinds,
      ...eventRefKinds,
      ...notificationRefKinds,
      ...webhookRefKinds,
      ...privacyRefKinds,
    }),
    dns: options.dns ?? new DnsTxtResolver(config.dns),
    secrets: new SecretBox(config.secret, config.previousSecrets),
    connectors: options.connectors ?? createConnector,
  };
  subscribeOrganizationEvents(services.events);
  subscribeEventRecording(services.events);
  subscribeCertificates(services.events);
  subscribeWebhooks(services.events);
  subscribeCompliance(services.events);
  subscribePrivacy(services.events);
  subscribeWorkflows(services.events);
  providePublicationGate(publicationGate);
  provideRequestApproval(enrollmentApproval);
  provideComplianceStatus(complianceReportRows);
  provideJobProducer(EVIDENCE_PACK_REPORT, evidencePackProducer);
  provideRestrictionCheck(restrictedPeople);
  return services;
}

/** Brings code-defined reference data (permissions, built-in roles, lookup values) into the database. */
export async function syncReferenceData(
  database: DatabaseHandle,
): Promise<{ permissions: string[]; lookupValues: number; reportTemplates: number }> {
  const catalog = await syncCatalog(database.db);
  const lookupValues = await syncLookupValues(database.db);
  const reportTemplates = await syncPredefinedTemplates(database.db);
  return { permissions: catalog.added, lookupValues, reportTemplates };
}

/** Opens the configured database (PGlite under the data folder unless DATABASE_URL is set). */
export function openDatabase(
  config: Config,
  poolSize = config.database.poolSize,
): Promise<DatabaseHandle> {
  return connect({
    url: config.database.url,
    dataDir: path.join(config.dataDir, "pglite"),
    poolSize,
    preparedStatements: config.database.preparedStatements,
  });
}

/**
 * What this process keeps in memory from the database — checked sessions and grants, anonymous
 * catalog pages — and the change feed (LISTEN/NOTIFY) that drops them as changes commit.
 */
async function openCaches(database: DatabaseHandle, log: Logger) {
  const sessions = new SessionCache();
  const security = new OrganizationSecurityCache();
  let listing: ListingCache | null = null;
  const feed = await database.listen(
    [ACCESS_CHANNEL, CATALOG_CHANNEL, ORG_SECURITY_CHANNEL],
    {
      onNotify: (channel, payload) => {
        if (channel === CATALOG_CHANNEL) listing?.clear();
        else if (channel === ORG_SECURITY_CHANNEL) security.drop(payload);
        else sessions.drop(payload);
      },
      onReset: () => {
        sessions.reset();
        listing?.clear();
        security.reset();
      },
    },
    (live, error) => {
      if (live) log.info("change feed listening again; caches in use");
      else log.warn({ err: error }, "change feed lost; reading everything from the database");
    },
  );
  sessions.attach(feed);
  security.attach(feed);
  listing = new ListingCache(feed);
  return { sessions, listing, security, close: () => feed.close() };
}

/**
 * Wires Lyceum together: database (migrated), services, HTTP server, worker and scheduler.
 * Nothing listens or polls until `start()`.
 */
export async function buildApp(options: BuildOptions) {
  const { config } = options;
  const log = options.logger ?? createLogger(config);
  const database = options.database ?? (await openDatabase(config));
  await migrate(database);
  await syncReferenceData(database);

  const services = createServices(config, database, options, log);
  const clock = services.clock;

  let ready = false;
  const worker = new Worker(database.db, clock, log, {
    ...options.worker,
    onPoll: async () => {
      await services.mailer.deliverDue(database.db);
    },
  });
  for (const job of [
    ...maintenanceJobs(services),
    ...auditJobs(services),
    ...enrollmentJobs(services),
    ...feedbackJobs(services),
    ...assessmentJobs(services),
    ...reportMaintenanceJobs(services),
    ...domainJobs(services),
    ...syncJobs(services, loadSyncTarget),
    ...webhookJobs(services, loadSyncTarget),
    ...outboundWebhookJobs(services),
    ...complianceJobs(services),
    ...privacyJobs(services),
    ...notificationJobs(services),
    ...workflowJobs(services),
  ])
    worker.register(job);
  services.mailer.onEnqueue(() => worker.nudge());
  const scheduler = new Scheduler(database.db, log, [
    ...MAINTENANCE_SCHEDULE,
    ...(database.engine === "pglite" ? EMBEDDED_MAINTENANCE_SCHEDULE : []),
    ...AUDIT_SCHEDULE,
    ...ENROLLMENT_SCHEDULE,
    ...FEEDBACK_SCHEDULE,
    ...ASSESSMENT_SCHEDULE,
    ...REPORT_SCHEDULE,
    ...DOMAIN_SCHEDULE,
    ...SYNC_SCHEDULE,
    ...WEBHOOK_SCHEDULE,
    ...OUTBOUND_WEBHOOK_SCHEDULE,
    ...COMPLIANCE_SCHEDULE,
    ...PRIVACY_SCHEDULE,
    ...NOTIFICATION_SCHEDULE,
    ...WORKFLOW_SCHEDULE,
  ]);
  const reportRunner = new ReportRunner(services, log);

  const caches = config.memoryCache ? await openCaches(database, log) : null;
  const startedAt = new Date();
  const web = options.web !== undefined ? options.web : loadWebBuild();
  const { app, routes } = await createHttpServer({
    services,
    authenticator: createAuthenticator(services, caches?.sessions ?? null),
    version: VERSION,
    isReady: () => ready,
    fallback: webFallback(web),
    guards: [organizationSecurityGuard(services, caches?.security ?? null)],
    modules: [
      systemRoutes(services, {
        version: VERSION,
        engine: database.engine,
        startedAt,
        isReady: () => ready,
        activeJobs: () => worker.activeJobs,
      }),
      webAppRoutes(web),
      authRoutes,
      userRoutes(membershipLookup),
      organizationRoutes,
      accessRoutes,
      auditRoutes,
      catalogRoutes(caches?.listing ?? null, learnsFrom),
      cohortRoutes,
      enrollmentRoutes,
      assignmentRoutes,
      enrollmentPathRoutes,
      paymentRoutes,
      paymentWebhookRoutes,
      eventRoutes,
      notificationRoutes,
      progressRoutes,
      lessonContentRoutes,
      materialRoutes,
      certificateRoutes,
      feedbackRoutes,
      assessmentRoutes,
      quizRoutes,
      attemptRoutes,
      assessmentReportRoutes,
      reportRoutes,
      learnerReportRoutes,
      reportJobRoutes,
      reportTemplateRoutes,
      reportScheduleRoutes,
      integrationRoutes,
      syncRoutes,
      fileImportRoutes,
      exportRoutes,
      scimTokenRoutes,
      employeeImportRoutes,
      scimRoutes(services),
      webhookRoutes,
      webhookReceiveRoutes,
      outboundWebhookRoutes,
      mfaRoutes,
      webauthnRoutes,
      organizationSecurityRoutes,
      complianceRoutes,
      privacyRoutes,
      retentionRoutes,
      complianceEvidenceRoutes,
      workflowRoutes,
    ],
  });
  await app.ready();

  const runs = new Set(config.services);
  let stopped = false;

  return {
    app,
    routes: routes as readonly RegisteredRoute[],
    services,
    database,
    worker,
    /** Starts the parts this process runs: HTTP, worker and scheduler by default. */
    async start(listen = true): Promise<string | null> {
      let address: string | null = null;
      if (runs.has("web") && listen)
        address = await app.listen({ host: config.host, port: config.port });
      if (runs.has("worker")) {
        worker.start();
        reportRunner.start();
      }
      if (runs.has("scheduler")) scheduler.start();
      ready = true;
      return address;
    },
    /**
     * Graceful stop: report not-ready, stop accepting connections and finish in-flight
     * requests, let running jobs finish, then close the database.
     */
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      ready = false;
      scheduler.stop();
      await Promise.all([app.close(), worker.stop(config.shutdownTimeoutMs), reportRunner.stop()]);
      await services.mailer.close();
      await caches?.close();
      if (!options.database) await database.close();
    },
  };
}
