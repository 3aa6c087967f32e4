import { Alert, Anchor, Button, Stack, Text, Title } from "@mantine/core";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { csrfToken } from "../../api/client";
import { useVerifyEmail } from "../../api/session";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { Loading } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";

/**
 * The link mailed at registration and on an email change (`/verify-email?token=…`): confirms
 * the address once, and says which of the two it was.
 */
export function VerifyEmailPage() {
  const { t } = useTranslation("auth");
  usePageTitle(t("verify.title"));
  const [params] = useSearchParams();
  const token = params.get("token");
  const verify = useVerifyEmail();
  // A session in this browser (its readable CSRF cookie): an email change from the profile.
  const [signedIn] = useState(() => csrfToken() !== null);
  const sent = useRef(false);
  useEffect(() => {
    // A token works once: send it once, even when effects run twice in development.
    if (!token || sent.current) return;
    sent.current = true;
    verify.mutate(token);
  }, [token, verify]);
  return (
    <Stack gap="md">
      <Title order={1}>{t("verify.title")}</Title>
      {!token && (
        <Alert color="red" role="alert">
          {t("verify.missingToken")}
        </Alert>
      )}
      {token && verify.isPending && <Loading label={t("verify.pending")} />}
      {verify.error && (
        <>
          <ApiErrorAlert error={verify.error} title={t("verify.title")} />
          <Anchor component={Link} to="/sign-in">
            {t("verify.signIn")}
          </Anchor>
        </>
      )}
      {verify.data && (
        <>
          <Alert color="teal" role="status">
            <Text size="sm">
              {verify.data.emailChanged
                ? t("verify.changed", { email: verify.data.user.email })
                : t("verify.done", { email: verify.data.user.email })}
            </Text>
          </Alert>
          {/* An email change is usually confirmed while signed in: back to the profile. */}
          {signedIn ? (
            <Button component={Link} to="/account/profile" w="fit-content">
              {t("verify.continue")}
            </Button>
          ) : (
            <Button component={Link} to="/sign-in" w="fit-content">
              {t("verify.signIn")}
            </Button>
          )}
        </>
      )}
    </Stack>
  );
}
