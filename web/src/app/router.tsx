import { createBrowserRouter, Navigate } from "react-router";
import { CrashPage, NotFoundPage } from "../ui/ErrorPage";
import { lazyArea } from "./lazyArea";
import { PublicLayout } from "./PublicLayout";
import { pageData } from "./pageData";
import { setPreloadRoutes } from "./preload";
import { RequireAuth } from "./RequireAuth";
import { Root } from "./Root";
import { SessionAwareLayout } from "./SessionAwareLayout";
import { Shell } from "./Shell";

// One code-split chunk per area, loaded with its first page.
const auth = lazyArea(() => import("../areas/auth"));
const learner = lazyArea(() => import("../areas/learner"));
const catalog = lazyArea(() => import("../areas/catalog"));
const certificates = lazyArea(() => import("../areas/certificates"));
const waitlist = lazyArea(() => import("../areas/waitlist"));
const quiz = lazyArea(() => import("../areas/quiz"));
const feedback = lazyArea(() => import("../areas/feedback"));
const reports = lazyArea(() => import("../areas/reports"));
const reportBuilder = lazyArea(() => import("../areas/reports/builder"));
const teaching = lazyArea(() => import("../areas/teaching"));
const authoring = lazyArea(() => import("../areas/authoring"));
const account = lazyArea(() => import("../areas/account"));
const notifications = lazyArea(() => import("../areas/notifications"));
const invites = lazyArea(() => import("../areas/invites"));
const player = lazyArea(() => import("../areas/player"));
const people = lazyArea(() => import("../areas/people"));
const assignments = lazyArea(() => import("../areas/assignments"));
const organization = lazyArea(() => import("../areas/organization"));
const learners = lazyArea(() => import("../areas/learners"));
const platform = lazyArea(() => import("../areas/platform"));
const cohorts = lazyArea(() => import("../areas/cohorts"));
const integrations = lazyArea(() => import("../areas/integrations"));
const compliance = lazyArea(() => import("../areas/compliance"));
const notificationTemplates = lazyArea(() => import("../areas/notification-templates"));
const workflows = lazyArea(() => import("../areas/workflows"));

type AuthPages = Awaited<ReturnType<typeof auth>>;
type LearnerPages = Awaited<ReturnType<typeof learner>>;
type CatalogPages = Awaited<ReturnType<typeof catalog>>;
type CertificatePages = Awaited<ReturnType<typeof certificates>>;
type WaitlistPages = Awaited<ReturnType<typeof waitlist>>;
type QuizPages = Awaited<ReturnType<typeof quiz>>;
type FeedbackPages = Awaited<ReturnType<typeof feedback>>;
type ReportPages = Awaited<ReturnType<typeof reports>>;
type TeachingPages = Awaited<ReturnType<typeof teaching>>;
type PlayerPages = Awaited<ReturnType<typeof player>>;
const authPage = (name: keyof AuthPages) => async () => ({ Component: (await auth())[name] });
const learnerPage = (name: keyof LearnerPages) => async () => ({
  Component: (await learner())[name],
});

const catalogPage = (name: keyof CatalogPages) => async () => ({
  Component: (await catalog())[name],
});

const certificatePage = (name: keyof CertificatePages) => async () => ({
  Component: (await certificates())[name],
});

const waitlistPage = (name: keyof WaitlistPages) => async () => ({
  Component: (await waitlist())[name],
});

const quizPage = (name: Exclude<keyof QuizPages, "CourseQuizzes">) => async () => ({
  Component: (await quiz())[name],
});

const feedbackPage = (name: keyof FeedbackPages) => async () => ({
  Component: (await feedback())[name],
});

const reportPage = (name: keyof ReportPages) => async () => ({
  Component: (await reports())[name],
});

const reportBuilderPage = async () => ({
  Component: (await reportBuilder()).ReportBuilderPage,
});

const teachingPage = (name: keyof TeachingPages) => async () => ({
  Component: (await teaching())[name],
});
type AuthoringPages = Awaited<ReturnType<typeof authoring>>;
const authoringPage = (name: keyof AuthoringPages) => async () => ({
  Component: (await authoring())[name],
});
type AccountPages = Awaited<ReturnType<typeof account>>;
const accountPage = (name: keyof AccountPages) => async () => ({
  Component: (await account())[name],
});
const notificationsPage = async () => ({
  Component: (await notifications()).NotificationsPage,
});
const invitePage = async () => ({ Component: (await invites()).InviteAcceptPage });
type PeoplePages = Awaited<ReturnType<typeof people>>;
const peoplePage = (name: keyof PeoplePages) => async () => ({
  Component: (await people())[name],
});

const assignmentsPage = async () => ({
  Component: (await assignments()).AssignmentsPage,
});

type OrganizationPages = Awaited<ReturnType<typeof organization>>;
const organizationPage = (name: keyof OrganizationPages) => async () => ({
  Component: (await organization())[name],
});

type TrackedLearnerPages = Awaited<ReturnType<typeof learners>>;
const trackedLearnerPage = (name: keyof TrackedLearnerPages) => async () => ({
  Component: (await learners())[name],
});

type PlatformPages = Awaited<ReturnType<typeof platform>>;
const platformPage = (name: keyof PlatformPages) => async () => ({
  Component: (await platform())[name],
});

type CohortPages = Awaited<ReturnType<typeof cohorts>>;
const cohortPage = (name: keyof CohortPages) => async () => ({
  Component: (await cohorts())[name],
});

type IntegrationPages = Awaited<ReturnType<typeof integrations>>;
const integrationPage = (name: keyof IntegrationPages) => async () => ({
  Component: (await integrations())[name],
});

type CompliancePages = Awaited<ReturnType<typeof compliance>>;
const compliancePage = (name: keyof CompliancePages) => async () => ({
  Component: (await compliance())[name],
});

const playerPage = (name: keyof PlayerPages) => async () => ({
  Component: (await player())[name],
});

type NotificationTemplatePages = Awaited<ReturnType<typeof notificationTemplates>>;
const notificationTemplatePage = (name: keyof NotificationTemplatePages) => async () => ({
  Component: (await notificationTemplates())[name],
});

type WorkflowPages = Awaited<ReturnType<typeof workflows>>;
const workflowPage = (name: keyof WorkflowPages) => async () => ({
  Component: (await workflows())[name],
});

export const router = createBrowserRouter([
  {
    element: <Root />,
    errorElement: <CrashPage />,
    children: [
      {
        element: <PublicLayout />,
        children: [
          { path: "sign-in", lazy: authPage("SignInPage") },
          { path: "sign-up", lazy: authPage("SignUpPage") },
          { path: "check-email", lazy: authPage("CheckEmailPage") },
          // The paths the server mails (src/modules/identity: auth.ts, recovery.ts).
          { path: "verify-email", lazy: authPage("VerifyEmailPage") },
          { path: "forgot-password", lazy: authPage("ForgotPasswordPage") },
          { path: "reset-password", lazy: authPage("ResetPasswordPage") },
          // Public: anyone holding a certificate's number checks it here.
          { path: "verify/:number", lazy: certificatePage("VerifyCertificatePage") },
          { path: "*", element: <NotFoundPage /> },
        ],
      },
      {
        element: <RequireAuth />,
        // Starts GET /users/me (and the shell's data) alongside the page's code.
        loader: pageData.signedIn,
        children: [
          {
            element: <Shell />,
            children: [
              { index: true, lazy: learnerPage("MyLearningPage"), loader: pageData.myLearning },
              { path: "catalog", lazy: catalogPage("CatalogPage"), loader: pageData.catalog },
              {
                path: "courses/:courseId",
                lazy: catalogPage("CoursePage"),
                loader: pageData.course,
              },
              // The local card processor's checkout URL (src/platform/payments/local.ts).
              { path: "payments/:paymentId/checkout", lazy: catalogPage("LocalCheckoutPage") },
              // The seat offer the server mails (src/modules/enrollment/waitlist.ts).
              { path: "waitlist/:entryId", lazy: waitlistPage("WaitlistOfferPage") },
              { path: "quizzes/:quizId", lazy: quizPage("QuizPage"), loader: pageData.quiz },
              // Mailed by the server with a result (assessment notifications).
              {
                path: "attempts/:attemptId",
                lazy: quizPage("AttemptPage"),
                loader: pageData.attempt,
              },
              {
                path: "certificates",
                lazy: certificatePage("CertificatesPage"),
                loader: pageData.certificates,
              },
              // Mailed when a certificate is issued (src/modules/certificates/certificates.ts).
              { path: "certificates/:certificateId", lazy: certificatePage("CertificatePage") },
              // Mailed with each announcement (src/modules/feedback/announcements.ts).
              { path: "courses/:courseId/announcements", lazy: feedbackPage("AnnouncementsPage") },
              // The paths the server mails and notifies (src/modules/reports: runner.ts,
              // schedules.ts; src/modules/enrollment/requests.ts; identity/auth.ts's welcome).
              { path: "reports", element: <Navigate to="/reports/templates" replace /> },
              { path: "reports/dashboard", lazy: reportPage("ReportDashboardPage") },
              { path: "reports/templates", lazy: reportPage("ReportTemplatesPage") },
              { path: "reports/builder", lazy: reportBuilderPage },
              { path: "reports/templates/:templateId", lazy: reportPage("ReportTemplatePage") },
              { path: "reports/jobs", lazy: reportPage("ReportJobsPage") },
              { path: "reports/jobs/:jobId", lazy: reportPage("ReportJobPage") },
              { path: "reports/schedules", lazy: reportPage("ReportSchedulesPage") },
              { path: "reports/schedules/:scheduleId", lazy: reportPage("ReportSchedulePage") },
              { path: "courses/:courseId/requests", lazy: teachingPage("CourseRequestsPage") },
              { path: "courses", element: <Navigate to="/catalog" replace /> },
              { path: "teaching", lazy: authoringPage("TeachingCoursesPage") },
              { path: "teaching/courses/:courseId", lazy: authoringPage("CourseEditorPage") },
              { path: "teaching/question-bank", lazy: authoringPage("QuestionBankPage") },
              {
                path: "teaching/courses/:courseId/grading",
                lazy: authoringPage("GradingQueuePage"),
              },
              {
                path: "teaching/courses/:courseId/gradebook",
                lazy: authoringPage("GradebookPage"),
              },
              {
                path: "teaching/courses/:courseId/attempts/:attemptId",
                lazy: authoringPage("AttemptGradingPage"),
              },
              {
                path: "teaching/courses/:courseId/quizzes/:quizId",
                lazy: authoringPage("QuizBuilderPage"),
              },
              {
                path: "teaching/courses/:courseId/results",
                lazy: authoringPage("CourseResultsPage"),
              },
              {
                path: "teaching/courses/:courseId/cohorts",
                lazy: cohortPage("CourseCohortsPage"),
                loader: pageData.courseCohorts,
              },
              {
                path: "teaching/courses/:courseId/community",
                lazy: cohortPage("CourseCommunityPage"),
                loader: pageData.courseCommunity,
              },
              {
                path: "teaching/cohorts/:cohortId",
                lazy: cohortPage("CohortPage"),
                loader: pageData.cohort,
              },
              {
                path: "teaching/courses/:courseId/lessons/:lessonId",
                lazy: authoringPage("LessonEditorPage"),
              },
              {
                path: "teaching/courses/:courseId/modules/:moduleId/new-lesson",
                lazy: authoringPage("LessonEditorPage"),
              },
              { path: "account/profile", lazy: accountPage("ProfilePage") },
              { path: "account/sessions", lazy: accountPage("SessionsPage") },
              { path: "account/two-step", lazy: accountPage("TwoStepPage") },
              {
                path: "account/notifications",
                lazy: accountPage("NotificationPreferencesPage"),
              },
              { path: "notifications", lazy: notificationsPage },
              { path: "people", lazy: peoplePage("PeoplePage") },
              { path: "people/structure", lazy: peoplePage("StructurePage") },
              { path: "people/roles", lazy: peoplePage("RolesPage") },
              { path: "people/roles/:roleId", lazy: peoplePage("RolePage") },
              { path: "people/:memberId", lazy: peoplePage("MemberPage") },
              { path: "assignments", lazy: assignmentsPage },
              { path: "learners", lazy: trackedLearnerPage("LearnersPage") },
              { path: "learners/:learnerId", lazy: trackedLearnerPage("LearnerPage") },
              { path: "organization", element: <Navigate to="/organization/settings" replace /> },
              { path: "organization/settings", lazy: organizationPage("SettingsPage") },
              { path: "organization/api-keys", lazy: organizationPage("ApiKeysPage") },
              { path: "organization/purchases", lazy: organizationPage("PurchasesPage") },
              { path: "organization/audit", lazy: organizationPage("AuditPage") },
              { path: "organization/webhooks", lazy: organizationPage("WebhooksPage") },
              { path: "organization/webhooks/:webhookId", lazy: organizationPage("WebhookPage") },
              { path: "organization/security", lazy: organizationPage("SecurityPage") },
              { path: "platform", element: <Navigate to="/platform/organizations" replace /> },
              { path: "platform/organizations", lazy: platformPage("OrganizationsPage") },
              { path: "platform/users", lazy: platformPage("UsersPage") },
              { path: "platform/lookups", lazy: platformPage("LookupsPage") },
              { path: "platform/jobs", lazy: platformPage("JobsPage") },
              { path: "platform/mail", lazy: platformPage("MailPage") },
              { path: "platform/health", lazy: platformPage("HealthPage") },
              {
                path: "organization/notifications",
                lazy: notificationTemplatePage("OrganizationTemplatesPage"),
              },
              {
                path: "organization/notification-log",
                lazy: notificationTemplatePage("DeliveryLogPage"),
              },
              {
                path: "platform/notification-templates",
                lazy: notificationTemplatePage("SystemTemplatesPage"),
              },
              // Integrations with external learning systems (src/modules/integrations).
              {
                path: "integrations",
                lazy: integrationPage("IntegrationsPage"),
                loader: pageData.integrations,
              },
              { path: "integrations/new", lazy: integrationPage("NewIntegrationPage") },
              {
                path: "integrations/learning",
                lazy: integrationPage("ExternalLearningPage"),
                loader: pageData.externalLearning,
              },
              {
                path: "integrations/file-imports/:fileImportId",
                lazy: integrationPage("FileImportPage"),
              },
              {
                path: "integrations/runs/:runId",
                lazy: integrationPage("RunPage"),
                loader: pageData.integrationRun,
              },
              {
                path: "integrations/:integrationId",
                lazy: integrationPage("IntegrationPage"),
                loader: pageData.integration,
              },
              {
                path: "integrations/:integrationId/edit",
                lazy: integrationPage("EditIntegrationPage"),
                loader: pageData.integration,
              },
              // Required training (src/modules/compliance).
              { path: "compliance", lazy: compliancePage("CompliancePage") },
              { path: "compliance/requirements", lazy: compliancePage("RequirementsPage") },
              {
                path: "compliance/requirements/:requirementId",
                lazy: compliancePage("RequirementPage"),
              },
              { path: "compliance/exemptions", lazy: compliancePage("ExemptionsPage") },
              { path: "compliance/evidence", lazy: compliancePage("EvidencePage") },
              {
                path: "courses/:courseId/learn",
                lazy: playerPage("ResumePage"),
                loader: pageData.resume,
              },
              {
                path: "courses/:courseId/lessons/:lessonId",
                lazy: playerPage("LessonPlayerPage"),
                loader: pageData.lesson,
              },
              // Privacy (src/modules/privacy): retention, data subject requests, access logs.
              { path: "organization/retention", lazy: organizationPage("RetentionPage") },
              {
                path: "organization/privacy-requests",
                lazy: organizationPage("PrivacyRequestsPage"),
              },
              { path: "organization/access-logs", lazy: organizationPage("AccessLogsPage") },
              { path: "account/privacy", lazy: accountPage("PrivacyPage") },
              // Workflows (src/modules/workflows): the approvals inbox and one execution (both
              // mailed), the definitions and the executions.
              { path: "approvals", lazy: workflowPage("ApprovalsPage") },
              {
                path: "workflows/executions/:executionId",
                lazy: workflowPage("ExecutionPage"),
              },
              { path: "workflows", lazy: workflowPage("WorkflowsPage") },
              { path: "workflows/new", lazy: workflowPage("DefinitionPage") },
              { path: "workflows/executions", lazy: workflowPage("ExecutionsPage") },
              { path: "workflows/:workflowId", lazy: workflowPage("DefinitionPage") },
            ],
          },
        ],
      },
      // Mailed (src/modules/organizations/invites.ts): public, or in the shell when signed in.
      {
        element: <SessionAwareLayout />,
        children: [{ path: "invites/accept", lazy: invitePage }],
      },
    ],
  },
]);
setPreloadRoutes(router.routes);
