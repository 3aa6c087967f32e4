import { Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { usePlatformLiveness, usePlatformReadiness } from "../../api/platform";
import { useFormat } from "../../i18n/format";
import { errorMessage } from "../../ui/ApiErrorAlert";
import { PageState } from "../../ui/PageState";
import { PlatformFrame } from "./PlatformFrame";

/** The server's health (`/platform/health`): liveness and readiness, read every 15 seconds. */
export function HealthPage() {
  const { t } = useTranslation("platform");
  return (
    <PlatformFrame title={t("health.title")} permission="jobs:read">
      <Health />
    </PlatformFrame>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text size="lg" fw={600} style={{ overflowWrap: "anywhere" }}>
        {value}
      </Text>
    </Paper>
  );
}

function Health() {
  const { t } = useTranslation("platform");
  const format = useFormat();
  const live = usePlatformLiveness();
  const ready = usePlatformReadiness();
  return (
    <Stack gap="sm" component="section" aria-labelledby="health-heading">
      <Title order={2} id="health-heading">
        {t("health.heading")}
      </Title>
      <PageState query={live}>
        {(health) => (
          <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm">
            <Fact
              label={t("health.status")}
              value={
                ready.isSuccess
                  ? t("health.ready")
                  : ready.isError
                    ? t("health.notReady", { reason: errorMessage(t, ready.error) })
                    : t("health.checking")
              }
            />
            <Fact label={t("health.version")} value={health.version} />
            <Fact
              label={t("health.uptime")}
              value={format.duration(Math.round(health.uptimeSeconds / 60))}
            />
            {ready.data && (
              <>
                <Fact
                  label={t("health.database")}
                  value={t(`health.engine.${ready.data.database.engine}`)}
                />
                <Fact
                  label={t("health.latency")}
                  value={t("health.ms", { ms: format.number(ready.data.database.latencyMs) })}
                />
                <Fact label={t("health.activeJobs")} value={format.number(ready.data.activeJobs)} />
              </>
            )}
          </SimpleGrid>
        )}
      </PageState>
      <Text size="sm" c="dimmed">
        {t("health.hint")}
      </Text>
    </Stack>
  );
}
