import {
  Anchor,
  Badge,
  Button,
  Group,
  List,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  ThemeIcon,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { isNotFound } from "../../api/errors";
import {
  type ConnectionTest,
  type Integration,
  useIntegration,
  useStartSync,
  useTestConnection,
} from "../../api/integrations";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { CourseLinksSection } from "./CourseLinksSection";
import { DeadLettersSection } from "./DeadLettersSection";
import { FileImportsSection } from "./FileImportsSection";
import { HealthCard, MonitoringForm } from "./HealthCard";
import { IncidentsSection } from "./IncidentsSection";
import { RunsSection } from "./RunsSection";
import { WebhookSection } from "./WebhookSection";
import { CONNECTION_COLOR } from "./words";

/**
 * An integration (`/integrations/:integrationId`): its connection (tested here, each check in
 * words), Sync now and Dry run, its health and monitoring, its runs (polled while one runs),
 * dead letters and incidents.
 */
export function IntegrationPage() {
  const { t } = useTranslation("integrations");
  const me = useSignedInMe();
  const { integrationId = "" } = useParams();
  const integration = useIntegration(me.user.id, integrationId);
  const missing = integration.isError && isNotFound(integration.error, "integrationId");
  usePageTitle(integration.data?.name ?? t("list.title"));
  return (
    <Stack gap="md" maw={1100}>
      <Anchor component={Link} to="/integrations" w="fit-content">
        {t("list.title")}
      </Anchor>
      <Title order={1} style={{ overflowWrap: "anywhere" }}>
        {integration.data?.name ?? t("list.title")}
      </Title>
      {missing ? (
        <Text>{t("form.notFound")}</Text>
      ) : (
        <PageState query={integration} pending={<Skeleton height={300} radius="md" />}>
          {(data) => <Overview integration={data} />}
        </PageState>
      )}
    </Stack>
  );
}

function Overview({ integration }: { integration: Integration }) {
  const { t } = useTranslation("integrations");
  const me = useSignedInMe();
  const format = useFormat();
  const test = useTestConnection(me.user.id, integration.organizationId, integration.id);
  const sync = useStartSync(me.user.id, integration.organizationId, integration.id);
  const [started, setStarted] = useState<string | null>(null);
  const when = (iso: string | null) => (iso ? format.dateTime(iso) : t("never"));
  const start = (dryRun: boolean) => {
    setStarted(null);
    sync.mutate(
      { dryRun },
      { onSuccess: () => setStarted(dryRun ? t("detail.dryRunStarted") : t("detail.syncStarted")) },
    );
  };
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={4}>
          <Group gap="xs">
            <Badge color={CONNECTION_COLOR[integration.connectionStatus]} variant="filled">
              {t(`connection.${integration.connectionStatus}`)}
            </Badge>
            <Text size="sm" c="dimmed">
              {t(`type.${integration.lmsType}`)} · {integration.code}
            </Text>
          </Group>
        </Stack>
        <Button component={Link} to={`/integrations/${integration.id}/edit`} variant="default">
          {t("detail.edit")}
        </Button>
      </Group>
      {!integration.isActive && <Text c="orange.9">{t("detail.paused")}</Text>}

      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="facts-heading">
        <Stack gap="sm">
          <Title order={2} size="h3" id="facts-heading">
            {t("detail.facts")}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" component="dl" m={0}>
            <Fact term={t("detail.baseUrl")} value={integration.baseUrl ?? "—"} />
            <Fact term={t("detail.lastTested")} value={when(integration.lastTestedAt)} />
            <Fact term={t("detail.lastSync")} value={when(integration.lastSyncAt)} />
            <Fact term={t("detail.lastSuccess")} value={when(integration.lastSuccessfulSyncAt)} />
            <Fact
              term={t("detail.schedule")}
              value={
                integration.syncFrequency === "cron" && integration.syncCron
                  ? `${integration.syncCron} (${integration.timezone})`
                  : t("detail.onDemand")
              }
            />
            {integration.nextSyncAt && (
              <Fact term={t("detail.nextSync")} value={format.dateTime(integration.nextSyncAt)} />
            )}
            {integration.lastError && (
              <Fact term={t("detail.lastError")} value={integration.lastError} />
            )}
          </SimpleGrid>
          <Group gap="sm" mt="xs">
            <Button variant="default" loading={test.isPending} onClick={() => test.mutate()}>
              {t("detail.test")}
            </Button>
            {/* A file integration is synced by importing a file (FileImportsSection). */}
            {integration.lmsType !== "file" && (
              <>
                <Button
                  loading={sync.isPending && !sync.variables?.dryRun}
                  disabled={sync.isPending}
                  onClick={() => start(false)}
                >
                  {t("detail.syncNow")}
                </Button>
                <Button
                  variant="default"
                  loading={sync.isPending && sync.variables?.dryRun}
                  disabled={sync.isPending}
                  onClick={() => start(true)}
                >
                  {t("detail.dryRun")}
                </Button>
              </>
            )}
          </Group>
          <Text size="sm" role="status" aria-live="polite">
            {started ?? ""}
          </Text>
          {sync.error && <ApiErrorAlert error={sync.error} />}
          {test.error && <ApiErrorAlert error={test.error} />}
          {test.data && <TestResult result={test.data} />}
        </Stack>
      </Paper>

      {integration.lmsType === "inbound-webhook" && <WebhookSection integration={integration} />}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <HealthCard integrationId={integration.id} />
        <MonitoringForm integration={integration} />
      </SimpleGrid>
      {integration.lmsType === "file" && (
        <FileImportsSection
          integrationId={integration.id}
          sftp={Boolean(integration.options && "sftp" in integration.options)}
        />
      )}
      {integration.direction !== "import" && <CourseLinksSection integration={integration} />}
      <RunsSection integrationId={integration.id} />
      <DeadLettersSection integrationId={integration.id} />
      <IncidentsSection integrationId={integration.id} />
    </Stack>
  );
}

export function Fact({ term, value }: { term: string; value: string }) {
  return (
    <div>
      <Text component="dt" size="sm" c="dimmed">
        {term}
      </Text>
      <Text component="dd" m={0} style={{ overflowWrap: "anywhere" }}>
        {value}
      </Text>
    </div>
  );
}

function TestResult({ result }: { result: ConnectionTest }) {
  const { t } = useTranslation("integrations");
  return (
    <Stack gap="xs" role="status" aria-live="polite" data-testid="connection-test">
      <Text fw={600} c={result.ok ? "teal.9" : "red.9"}>
        {result.ok ? t("detail.testOk") : t("detail.testFailed", { message: result.message ?? "" })}
      </Text>
      {result.checks.length > 0 && (
        <List spacing={4} size="sm" listStyleType="none" aria-label={t("detail.test")}>
          {result.checks.map((check) => (
            <List.Item
              key={check.step}
              icon={
                <ThemeIcon size={18} radius="xl" color={check.ok ? "teal.9" : "red.9"} aria-hidden>
                  <span style={{ fontSize: 11 }}>{check.ok ? "✓" : "✕"}</span>
                </ThemeIcon>
              }
            >
              <VisuallyHidden>
                {check.ok ? t("detail.checkOk") : t("detail.checkFailed")}:{" "}
              </VisuallyHidden>
              {check.message}
            </List.Item>
          ))}
        </List>
      )}
      {result.system?.name && (
        <Text size="sm" c="dimmed">
          {t("detail.system", { name: result.system.name, version: result.system.version ?? "" })}
        </Text>
      )}
      {result.latencyMs !== null && (
        <Text size="sm" c="dimmed">
          {t("detail.latency", { ms: Math.round(result.latencyMs) })}
        </Text>
      )}
    </Stack>
  );
}
