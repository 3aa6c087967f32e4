import { Anchor, AppShell, Container, Group } from "@mantine/core";
import { Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Link, Outlet } from "react-router";
import { Loading } from "../ui/PageState";
import { LanguageSwitch } from "./LanguageSwitch";
import { SkipLink } from "./SkipLink";

/** The layout of pages before signing in (and of the 404 page): product name, language, content. */
export function PublicLayout() {
  const { t } = useTranslation();
  return (
    <AppShell header={{ height: 60 }} padding="md">
      <SkipLink />
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Anchor component={Link} to="/" fw={700} fz="xl" underline="never">
            {t("product")}
          </Anchor>
          <LanguageSwitch />
        </Group>
      </AppShell.Header>
      <AppShell.Main id="main" tabIndex={-1}>
        <Container size={480} py="lg" px={0}>
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
