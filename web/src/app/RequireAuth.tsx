import { Container } from "@mantine/core";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, Outlet, useLocation } from "react-router";
import { ApiError } from "../api/errors";
import { type Me, useMe } from "../api/session";
import { changeLanguage, supported } from "../i18n";
import { ApiErrorAlert } from "../ui/ApiErrorAlert";
import { Loading } from "../ui/PageState";
import { signInPath } from "./returnTo";

/**
 * Pages for signed-in people. Waits for GET /users/me (no flash of a page or a redirect),
 * sends anyone without a session to sign in with a return URL, and takes the language of
 * the person's profile.
 */
export function RequireAuth() {
  const me = useMe();
  const location = useLocation();
  const { i18n } = useTranslation();
  const preferred = supported(me.data?.user.preferredLanguage);
  useEffect(() => {
    if (preferred && preferred !== i18n.language) void changeLanguage(preferred);
  }, [preferred, i18n]);
  if (me.isPending) return <Loading />;
  if (me.isError) {
    if (me.error instanceof ApiError && me.error.status === 401) {
      return <Navigate to={signInPath(location.pathname + location.search)} replace />;
    }
    return (
      <Container size={560} py="xl" component="main" id="main">
        <ApiErrorAlert error={me.error} onRetry={() => void me.refetch()} />
      </Container>
    );
  }
  return <Outlet />;
}

/** The signed-in person, inside RequireAuth (which renders nothing before it is known). */
export function useSignedInMe(): Me {
  const me = useMe();
  if (!me.data) throw new Error("useSignedInMe outside RequireAuth");
  return me.data;
}
