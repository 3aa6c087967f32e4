import { Alert, Anchor, Button, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useResendVerification } from "../../api/session";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { usePageTitle } from "../../ui/usePageTitle";

/** After registering: the confirmation link is in the mail; it can be sent again. */
export function CheckEmailPage() {
  const { t } = useTranslation("auth");
  usePageTitle(t("checkEmail.title"));
  const [params] = useSearchParams();
  const email = params.get("email");
  const resend = useResendVerification();
  return (
    <Stack gap="md">
      <Title order={1}>{t("checkEmail.title")}</Title>
      <Text>{email ? t("checkEmail.body", { email }) : t("checkEmail.bodyNoEmail")}</Text>
      {resend.isSuccess && (
        <Alert color="teal" role="status">
          {t("checkEmail.resent")}
        </Alert>
      )}
      {resend.error && <ApiErrorAlert error={resend.error} />}
      {email && (
        <Button
          variant="outline"
          w="fit-content"
          loading={resend.isPending}
          onClick={() => resend.mutate(email)}
        >
          {t("checkEmail.resend")}
        </Button>
      )}
      <Anchor component={Link} to="/sign-in">
        {t("checkEmail.signIn")}
      </Anchor>
    </Stack>
  );
}
