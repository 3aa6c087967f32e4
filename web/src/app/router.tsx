import { createBrowserRouter } from "react-router";
import { CrashPage, NotFoundPage } from "../ui/ErrorPage";
import { lazyArea } from "./lazyArea";
import { PublicLayout } from "./PublicLayout";
import { RequireAuth } from "./RequireAuth";
import { Root } from "./Root";
import { SessionAwareLayout } from "./SessionAwareLayout";
import { Shell } from "./Shell";

// One code-split chunk per area, loaded with its first page.
const auth = lazyArea(() => import("../areas/auth"));
const learner = lazyArea(() => import("../areas/learner"));
const catalog = lazyArea(() => import("../areas/catalog"));
const certificates = lazyArea(() => import("../areas/certificates"));
const account = lazyArea(() => import("../areas/account"));
const notifications = lazyArea(() => import("../areas/notifications"));
const invites = lazyArea(() => import("../areas/invites"));

type AuthPages = Awaited<ReturnType<typeof auth>>;
type LearnerPages = Awaited<ReturnType<typeof learner>>;
type CatalogPages = Awaited<ReturnType<typeof catalog>>;
type CertificatePages = Awaited<ReturnType<typeof certificates>>;
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

type AccountPages = Awaited<ReturnType<typeof account>>;
const accountPage = (name: keyof AccountPages) => async () => ({
  Component: (await account())[name],
});
const notificationsPage = async () => ({
  Component: (await notifications()).NotificationsPage,
});
const invitePage = async () => ({ Component: (await invites()).InviteAcceptPage });

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
        children: [
          {
            element: <Shell />,
            children: [
              { index: true, lazy: learnerPage("MyLearningPage") },
              { path: "catalog", lazy: catalogPage("CatalogPage") },
              { path: "courses/:courseId", lazy: catalogPage("CoursePage") },
              { path: "account/profile", lazy: accountPage("ProfilePage") },
              { path: "account/sessions", lazy: accountPage("SessionsPage") },
              {
                path: "account/notifications",
                lazy: accountPage("NotificationPreferencesPage"),
              },
              { path: "notifications", lazy: notificationsPage },
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
