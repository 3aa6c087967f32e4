import { Anchor, Button, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useRouteError } from "react-router";
import { usePageTitle } from "./usePageTitle";

/** What an unknown address shows: a heading, why, and the way back. */
export function NotFoundPage() {
  const { t } = useTranslation();
  usePageTitle(t("notFound.title"));
  return (
    <Stack gap="md" maw={560}>
      <Title order={1}>{t("notFound.title")}</Title>
      <Text>{t("notFound.body")}</Text>
      <Anchor component={Link} to="/">
        {t("notFound.home")}
      </Anchor>
    </Stack>
  );
}

/** A page that failed to render (a route's error boundary). */
export function CrashPage() {
  const { t } = useTranslation();
  const error = useRouteError();
  usePageTitle(t("crash.title"));
  if (error) console.error(error);
  return (
    <Stack gap="md" maw={560} p="md" component="main">
      <Title order={1}>{t("crash.title")}</Title>
      <Text>{t("crash.body")}</Text>
      <Button onClick={() => window.location.reload()} w="fit-content">
        {t("crash.reload")}
      </Button>
    </Stack>
  );
}
