import {
  Anchor,
  Badge,
  Drawer,
  Group,
  List,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type EnrollmentFilters,
  EXTERNAL_STATUSES,
  type ExternalEnrollment,
  type LmsAnalytics,
  useAnalytics,
  useExternalEnrollments,
  useProgress,
} from "../../api/integrations";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { EmptyState } from "../../ui/EmptyState";
import { FilterSelect } from "../../ui/FilterSelect";
import { PagedList } from "../../ui/PagedList";
import { PageState } from "../../ui/PageState";
import { SearchFilter } from "../../ui/SearchFilter";
import { usePageParams } from "../../ui/usePageParams";
import { Fact } from "./IntegrationPage";
import { IntegrationsFrame } from "./IntegrationsFrame";
import { HEALTH_COLOR, percent } from "./words";

/**
 * External learning (`/integrations/learning?org=…`): per integration, what the syncs brought
 * in (lms-analytics), then every external enrollment, filtered by integration, status, dates
 * and a search; a row opens its progress and learning events in a drawer.
 */
export function ExternalLearningPage() {
  const { t } = useTranslation("integrations");
  return (
    <IntegrationsFrame title={t("learning.title")}>
      {(orgId) => <ExternalLearning orgId={orgId} />}
    </IntegrationsFrame>
  );
}

/** A day (YYYY-MM-DD) as the start of that day in UTC, for the API's date filters. */
const dayStart = (day: string | null) =>
  day && /^\d{4}-\d{2}-\d{2}$/.test(day) ? `${day}T00:00:00.000Z` : null;

function ExternalLearning({ orgId }: { orgId: string }) {
  const { t } = useTranslation("integrations");
  const me = useSignedInMe();
  const params = usePageParams();
  const analytics = useAnalytics(me.user.id, orgId);
  const filters: EnrollmentFilters = {
    page: params.page,
    integrationId: params.get("integration"),
    status: EXTERNAL_STATUSES.find((v) => v === params.get("status")) ?? null,
    dateFrom: dayStart(params.get("from")),
    dateTo: dayStart(params.get("to")),
    search: (params.get("q") ?? "").trim(),
  };
  const enrollments = useExternalEnrollments(me.user.id, orgId, filters);
  const [open, setOpen] = useState<ExternalEnrollment | null>(null);
  return (
    <Stack gap="lg">
      <Text size="sm" c="dimmed">
        {t("learning.intro")}
      </Text>
      <Stack gap="sm" component="section" aria-labelledby="analytics-heading">
        <Title order={2} size="h3" id="analytics-heading">
          {t("learning.analytics")}
        </Title>
        <PageState
          query={analytics}
          pending={<Skeleton height={120} radius="md" />}
          isEmpty={(rows) => rows.length === 0}
          empty={<Text size="sm">{t("learning.analyticsEmpty")}</Text>}
        >
          {(rows) => (
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              {rows.map((row) => (
                <AnalyticsCard key={row.integrationId} row={row} />
              ))}
            </SimpleGrid>
          )}
        </PageState>
      </Stack>
      <Stack gap="sm" component="section" aria-labelledby="enrollments-heading">
        <Title order={2} size="h3" id="enrollments-heading">
          {t("learning.enrollments")}
        </Title>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 5 }} spacing="sm">
          <SearchFilter label={t("learning.search")} w="100%" />
          <FilterSelect
            label={t("learning.integration")}
            any={t("any")}
            options={(analytics.data ?? []).map((row) => ({
              value: row.integrationId,
              label: row.name,
            }))}
            value={filters.integrationId}
            onChange={(v) => params.set("integration", v)}
          />
          <FilterSelect
            label={t("learning.status")}
            any={t("any")}
            options={EXTERNAL_STATUSES.map((v) => ({
              value: v,
              label: t(`learning.statusName.${v}`),
            }))}
            value={filters.status}
            onChange={(v) => params.set("status", v)}
          />
          <TextInput
            label={t("learning.from")}
            type="date"
            value={params.get("from") ?? ""}
            onChange={(e) => params.set("from", e.currentTarget.value || null)}
          />
          <TextInput
            label={t("learning.to")}
            type="date"
            value={params.get("to") ?? ""}
            onChange={(e) => params.set("to", e.currentTarget.value || null)}
          />
        </SimpleGrid>
        <PagedList
          query={enrollments}
          page={params.page}
          onPage={(page) => params.set("page", String(page))}
          count={(count) => t("learning.count", { count })}
          empty={{
            title: t("learning.emptyTitle"),
            reason: t("learning.emptyReason"),
            headingLevel: 3,
          }}
        >
          {(items: ExternalEnrollment[]) => <EnrollmentTable items={items} onOpen={setOpen} />}
        </PagedList>
      </Stack>
      <Drawer
        opened={open !== null}
        onClose={() => setOpen(null)}
        position="right"
        size="md"
        title={t("learning.drawerTitle")}
        closeButtonProps={{ "aria-label": t("learning.close") }}
      >
        {open && <ProgressDetail enrollment={open} />}
      </Drawer>
    </Stack>
  );
}

function AnalyticsCard({ row }: { row: LmsAnalytics[number] }) {
  const { t } = useTranslation("integrations");
  const format = useFormat();
  const rate = percent(row.completionRate);
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="xs">
        <Group justify="space-between" gap="xs">
          <Text fw={600}>{row.name}</Text>
          <Badge color={HEALTH_COLOR[row.health.status]} variant="filled">
            {t(`health.${row.health.status}`)}
          </Badge>
        </Group>
        <SimpleGrid cols={{ base: 2, xs: 3 }} spacing="xs" component="dl" m={0}>
          <Fact term={t("learning.enrollments")} value={format.number(row.enrollments)} />
          <Fact term={t("learning.completed")} value={format.number(row.completed)} />
          <Fact
            term={t("learning.completionRate")}
            value={rate === null ? "—" : format.percent(rate)}
          />
          <Fact term={t("learning.learners")} value={format.number(row.learners)} />
          <Fact
            term={t("learning.averageScore")}
            value={
              row.averageScore === null
                ? "—"
                : format.number(Math.round(row.averageScore * 10) / 10)
            }
          />
          <Fact
            term={t("learning.hours")}
            value={format.number(Math.round(row.hoursSpent * 10) / 10)}
          />
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}

function EnrollmentTable({
  items,
  onOpen,
}: {
  items: ExternalEnrollment[];
  onOpen: (enrollment: ExternalEnrollment) => void;
}) {
  const { t } = useTranslation("integrations");
  const format = useFormat();
  return (
    <Table.ScrollContainer minWidth={0}>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("learning.learner")}</Table.Th>
            <Table.Th visibleFrom="sm">{t("learning.course")}</Table.Th>
            <Table.Th>{t("learning.status")}</Table.Th>
            <Table.Th visibleFrom="md">{t("learning.progress")}</Table.Th>
            <Table.Th visibleFrom="md">{t("learning.enrolled")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((e) => {
            const name = `${e.learner.firstName} ${e.learner.lastName}`.trim() || e.learner.email;
            return (
              <Table.Tr key={e.id}>
                <Table.Td style={{ overflowWrap: "anywhere" }}>
                  <UnstyledButton
                    onClick={() => onOpen(e)}
                    aria-label={t("learning.details", { name, course: e.course.title })}
                    c="blue.9"
                    td="underline"
                    fw={500}
                  >
                    {name}
                  </UnstyledButton>
                  <Text size="xs" c="dimmed">
                    {e.learner.email}
                  </Text>
                </Table.Td>
                <Table.Td visibleFrom="sm" style={{ overflowWrap: "anywhere" }}>
                  {e.course.title}
                  <Text size="xs" c="dimmed">
                    {e.integration.name}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {t(`learning.statusName.${e.externalStatus ?? ""}`, {
                    defaultValue: e.externalStatus ?? e.status,
                  })}
                </Table.Td>
                <Table.Td visibleFrom="md">{format.percent(e.progressPercent)}</Table.Td>
                <Table.Td visibleFrom="md">{format.date(e.enrolledAt)}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function ProgressDetail({ enrollment }: { enrollment: ExternalEnrollment }) {
  const { t } = useTranslation("integrations");
  const me = useSignedInMe();
  const format = useFormat();
  const progress = useProgress(me.user.id, enrollment.id);
  const name = `${enrollment.learner.firstName} ${enrollment.learner.lastName}`.trim();
  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        {name || enrollment.learner.email}
      </Title>
      <Text>{enrollment.course.title}</Text>
      {enrollment.course.url && (
        <Anchor href={enrollment.course.url} target="_blank" rel="noreferrer" w="fit-content">
          {t("learning.openCourse")}
        </Anchor>
      )}
      <PageState query={progress} pending={<Skeleton height={200} radius="md" />}>
        {(p) => (
          <Stack gap="sm">
            <SimpleGrid cols={2} spacing="xs" component="dl" m={0}>
              <Fact
                term={t("learning.externalStatus")}
                value={p.enrollment.externalStatus ?? p.enrollment.status}
              />
              <Fact
                term={t("learning.progress")}
                value={format.percent(p.enrollment.progressPercent)}
              />
              <Fact
                term={t("learning.score")}
                value={
                  p.enrollment.score === null
                    ? "—"
                    : p.enrollment.maxScore === null
                      ? format.number(p.enrollment.score)
                      : t("learning.scoreValue", {
                          score: format.number(p.enrollment.score),
                          max: format.number(p.enrollment.maxScore),
                        })
                }
              />
              {p.passed !== null && (
                <Fact
                  term={t("learning.passed")}
                  value={p.passed ? t("learning.passed") : t("learning.notPassed")}
                />
              )}
              <Fact
                term={t("learning.timeSpent")}
                value={t("learning.minutes", { count: p.enrollment.timeSpentMinutes })}
              />
              <Fact term={t("learning.enrolled")} value={format.date(p.enrollment.enrolledAt)} />
              <Fact
                term={t("learning.completedAt")}
                value={p.enrollment.completedAt ? format.date(p.enrollment.completedAt) : "—"}
              />
              <Fact
                term={t("learning.lastAccess")}
                value={p.enrollment.lastAccessAt ? format.dateTime(p.enrollment.lastAccessAt) : "—"}
              />
              <Fact
                term={t("learning.synced")}
                value={p.enrollment.syncedAt ? format.dateTime(p.enrollment.syncedAt) : "—"}
              />
            </SimpleGrid>
            <Title order={3} size="h4">
              {t("learning.events")}
            </Title>
            {p.events.length === 0 ? (
              <EmptyState
                title={t("learning.noEvents")}
                reason={t("learning.emptyReason")}
                headingLevel={3}
              />
            ) : (
              <List size="sm" spacing={2}>
                {p.events.map((event) => (
                  <List.Item key={`${event.type}-${event.occurredAt}`}>
                    {t("learning.event", {
                      type: event.type,
                      date: format.dateTime(event.occurredAt),
                    })}
                  </List.Item>
                ))}
              </List>
            )}
          </Stack>
        )}
      </PageState>
    </Stack>
  );
}
