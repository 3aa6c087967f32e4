import {
  Badge,
  Button,
  NumberInput,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type Integration, useHealth, useSetMonitoring } from "../../api/integrations";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { PageState } from "../../ui/PageState";
import { Fact } from "./IntegrationPage";
import { HEALTH_COLOR, percent } from "./words";

/** The integration's health over the last 30 days: runs, rates, latency, service level, incident. */
export function HealthCard({ integrationId }: { integrationId: string }) {
  const { t } = useTranslation("integrations");
  const me = useSignedInMe();
  const format = useFormat();
  const health = useHealth(me.user.id, integrationId);
  const none = t("healthCard.none");
  const rate = (value: number | null) => {
    const p = percent(value);
    return p === null ? none : format.percent(p);
  };
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="health-heading">
      <PageState query={health} pending={<Skeleton height={220} radius="md" />}>
        {(h) => (
          <Stack gap="sm">
            <Title order={2} size="h3" id="health-heading">
              {t("healthCard.heading", { days: h.windowDays })}
            </Title>
            <Badge color={HEALTH_COLOR[h.status]} variant="filled" w="fit-content">
              {t(`health.${h.status}`)}
            </Badge>
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs" component="dl" m={0}>
              <Fact term={t("healthCard.runs")} value={format.number(h.runs)} />
              <Fact term={t("healthCard.successRate")} value={rate(h.successRate)} />
              <Fact term={t("healthCard.errorRate")} value={rate(h.errorRate)} />
              <Fact
                term={t("healthCard.latency")}
                value={
                  h.averageLatencyMs === null
                    ? none
                    : t("healthCard.ms", { value: format.number(h.averageLatencyMs) })
                }
              />
              <Fact
                term={t("healthCard.recordsPerRun")}
                value={h.recordsPerRun === null ? none : format.number(h.recordsPerRun)}
              />
              <Fact
                term={t("healthCard.sla")}
                value={
                  h.sla
                    ? h.sla.met
                      ? t("healthCard.slaMet", { hours: h.sla.hours })
                      : t("healthCard.slaMissed", { hours: h.sla.hours })
                    : t("healthCard.noSla")
                }
              />
              <Fact
                term={t("healthCard.incident")}
                value={
                  h.openIncident
                    ? t("healthCard.incidentText", {
                        count: h.openIncident.failures,
                        date: format.dateTime(h.openIncident.openedAt),
                        error: h.openIncident.lastError ?? "",
                      })
                    : t("healthCard.noIncident")
                }
              />
            </SimpleGrid>
          </Stack>
        )}
      </PageState>
    </Paper>
  );
}

/** The service level (hours between successful syncs) and the failures that open an incident. */
export function MonitoringForm({ integration }: { integration: Integration }) {
  const { t } = useTranslation("integrations");
  const me = useSignedInMe();
  const save = useSetMonitoring(me.user.id, integration.id);
  const [sla, setSla] = useState<number | string>(integration.slaHours ?? "");
  const [failures, setFailures] = useState<number | string>(integration.incidentAfterFailures);
  const [done, setDone] = useState(false);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="monitoring-heading">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setDone(false);
          save.mutate(
            {
              slaHours: sla === "" ? null : Number(sla),
              incidentAfterFailures: Number(failures),
            },
            { onSuccess: () => setDone(true) },
          );
        }}
      >
        <Stack gap="sm">
          <Title order={2} size="h3" id="monitoring-heading">
            {t("monitoring.heading")}
          </Title>
          <NumberInput
            label={t("monitoring.slaHours")}
            description={t("monitoring.slaHint")}
            min={1}
            max={8760}
            allowDecimal={false}
            value={sla}
            onChange={setSla}
            disabled={save.isPending}
          />
          <NumberInput
            label={t("monitoring.failures")}
            min={1}
            max={100}
            required
            allowDecimal={false}
            value={failures}
            onChange={setFailures}
            disabled={save.isPending}
          />
          <Button type="submit" w="fit-content" loading={save.isPending}>
            {t("monitoring.save")}
          </Button>
          <Text size="sm" role="status" aria-live="polite">
            {done ? t("monitoring.saved") : ""}
          </Text>
          {save.error && <ApiErrorAlert error={save.error} />}
        </Stack>
      </form>
    </Paper>
  );
}
