import { Anchor, Card, SimpleGrid, Skeleton, Stack, Text, Title } from "@mantine/core";
import { type ReactNode, useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type ReportDefinition, type ReportPreview, useReportPreview } from "../../api/reports";
import { OrganizationSelect, useChosenOrganization } from "../../app/OrganizationChoice";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { Chart } from "../../ui/charts/Chart";
import { usePageTitle } from "../../ui/usePageTitle";
import { builderPath } from "./builderLink";
import {
  breakdown,
  gainOf,
  TILES,
  type TileKey,
  tileDefinitions,
  totalOf,
  weeklyActivity,
} from "./dashboardTiles";
import { ReportsNav } from "./ReportsNav";

/** Courses a tile's bar chart shows at most. */
const TOP_COURSES = 5;

/**
 * The organization overview (`/reports/dashboard`): enrollments, completions, overdue
 * compliance training, learning gain and activity over time, each a report definition
 * (dashboardTiles.ts) run by the report engine, shown as a figure and a small chart with its
 * numbers as a table, and opened in the report builder.
 */
export function ReportDashboardPage() {
  const { t } = useTranslation("reports");
  usePageTitle(t("dashboard.title"));
  const choice = useChosenOrganization("reports:read");
  const { chosen } = choice;
  return (
    <Stack gap="md" maw={1100}>
      <Title order={1}>{t("dashboard.title")}</Title>
      {!chosen ? (
        <Text>{t("jobs.noOrganization")}</Text>
      ) : (
        <>
          <OrganizationSelect choice={choice} />
          <ReportsNav orgId={chosen.organization.id} />
          <Tiles
            key={chosen.organization.id}
            orgId={chosen.organization.id}
            organization={chosen.organization.name}
          />
        </>
      )}
    </Stack>
  );
}

function Tiles({ orgId, organization }: { orgId: string; organization: string }) {
  const { t } = useTranslation("reports");
  const format = useFormat();
  // The moment the figures are for: overdue is due before it, activity runs up to its day.
  const [now] = useState(() => new Date());
  const definitions = useMemo(
    () => tileDefinitions(now, (measure) => t(`dashboard.measures.${measure}`)),
    [now, t],
  );
  return (
    <Stack gap="md">
      <Text c="dimmed">
        {t("dashboard.intro", { organization, time: format.dateTime(now.toISOString()) })}
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        {TILES.map((key) => (
          <Tile key={key} tile={key} orgId={orgId} definition={definitions[key]} now={now} />
        ))}
      </SimpleGrid>
    </Stack>
  );
}

function Tile({
  tile,
  orgId,
  definition,
  now,
}: {
  tile: TileKey;
  orgId: string;
  definition: ReportDefinition;
  now: Date;
}) {
  const { t } = useTranslation("reports");
  const me = useSignedInMe();
  const preview = useReportPreview(me.user.id, orgId, definition);
  const headingId = useId();
  const title = t(`dashboard.tiles.${tile}.title`);
  return (
    <Card withBorder radius="md" padding="md" component="section" aria-labelledby={headingId}>
      <Stack gap="sm" h="100%">
        <Title order={2} size="h4" id={headingId}>
          {title}
        </Title>
        {preview.isPending ? (
          <Skeleton height={200} radius="md" aria-hidden />
        ) : preview.isError ? (
          <ApiErrorAlert error={preview.error} onRetry={() => void preview.refetch()} />
        ) : (
          <TileBody tile={tile} preview={preview.data} now={now} />
        )}
        <Anchor
          component={Link}
          to={builderPath(orgId, { definition })}
          aria-label={t("dashboard.openFor", { tile: title })}
          mt="auto"
          w="fit-content"
        >
          {t("dashboard.open")}
        </Anchor>
      </Stack>
    </Card>
  );
}

/** A tile's headline number and what it counts, read as one sentence ("3 enrollments …"). */
function Figure({ value, caption }: { value: string; caption: string }) {
  return (
    <Text component="p" m={0}>
      <Text span display="block" fz={32} fw={700} lh={1.2}>
        {value}
      </Text>{" "}
      <Text span display="block" size="sm" c="dimmed">
        {caption}
      </Text>
    </Text>
  );
}

function Empty({ children }: { children: ReactNode }) {
  return <Text size="sm">{children}</Text>;
}

function TileBody({ tile, preview, now }: { tile: TileKey; preview: ReportPreview; now: Date }) {
  const { t, i18n } = useTranslation("reports");
  const format = useFormat();
  const count = (n: number) => format.number(n);
  const integer = { valueFormatter: count, integer: true };
  const percent = new Intl.NumberFormat(i18n.language, {
    style: "percent",
    maximumFractionDigits: 1,
  });
  const score = (n: number) => percent.format(n / 100);
  const courses = (measure: string) =>
    breakdown(preview, "course.title", measure).slice(0, TOP_COURSES);
  const courseName = (label: string | null) => label ?? t("dashboard.noCourse");

  switch (tile) {
    case "enrollments": {
      const total = totalOf(preview, "enrollments");
      if (total === 0) return <Empty>{t("dashboard.tiles.enrollments.empty")}</Empty>;
      const byStatus = breakdown(preview, "enrollment.status", "enrollments");
      return (
        <>
          <Figure
            value={count(total)}
            caption={t("dashboard.tiles.enrollments.caption", { count: total })}
          />
          <Chart
            kind="pie"
            height={200}
            label={t("dashboard.tiles.enrollments.chart")}
            categoryLabel={t("dashboard.status")}
            valueLabel={t("dashboard.tiles.enrollments.title")}
            {...integer}
            categories={byStatus.map((r) =>
              t(`definition.statuses.${r.label ?? ""}`, { defaultValue: r.label ?? "" }),
            )}
            series={[
              {
                name: t("dashboard.tiles.enrollments.title"),
                values: byStatus.map((r) => r.value),
              },
            ]}
          />
        </>
      );
    }
    case "completions":
    case "overdueCompliance": {
      const measure = tile === "completions" ? "completions" : "overdue";
      const total = totalOf(preview, measure);
      if (total === 0) return <Empty>{t(`dashboard.tiles.${tile}.empty`)}</Empty>;
      const top = courses(measure);
      return (
        <>
          <Figure
            value={count(total)}
            caption={t(`dashboard.tiles.${tile}.caption`, { count: total })}
          />
          <Chart
            kind="bar"
            height={200}
            label={t(`dashboard.tiles.${tile}.chart`, { top: TOP_COURSES })}
            categoryLabel={t("dashboard.course")}
            valueLabel={t(`dashboard.tiles.${tile}.title`)}
            {...integer}
            categories={top.map((r) => courseName(r.label))}
            series={[{ name: t(`dashboard.tiles.${tile}.title`), values: top.map((r) => r.value) }]}
          />
        </>
      );
    }
    case "learningGain": {
      const gain = gainOf(preview);
      if (gain.gain === null) return <Empty>{t("dashboard.tiles.learningGain.empty")}</Empty>;
      const points = new Intl.NumberFormat(i18n.language, {
        maximumFractionDigits: 1,
        signDisplay: "exceptZero",
      }).format(gain.gain);
      return (
        <>
          <Figure
            value={t("dashboard.tiles.learningGain.points", { points })}
            caption={t("dashboard.tiles.learningGain.caption", {
              pre: score(gain.pre ?? 0),
              post: score(gain.post ?? 0),
              count: gain.preAttempts + gain.postAttempts,
              attempts: count(gain.preAttempts + gain.postAttempts),
            })}
          />
          <Chart
            kind="bar"
            height={200}
            label={t("dashboard.tiles.learningGain.chart")}
            categoryLabel={t("dashboard.tiles.learningGain.when")}
            valueLabel={t("dashboard.tiles.learningGain.score")}
            valueFormatter={score}
            max={100}
            categories={[
              t("dashboard.tiles.learningGain.pre"),
              t("dashboard.tiles.learningGain.post"),
            ]}
            series={[
              { name: t("dashboard.tiles.learningGain.score"), values: [gain.pre, gain.post] },
            ]}
          />
          <Text size="xs" c="dimmed">
            {t("dashboard.tiles.learningGain.note")}
          </Text>
        </>
      );
    }
    case "activity": {
      const weeks = weeklyActivity(preview, now);
      const total = weeks.reduce((sum, w) => sum + w.events, 0);
      if (total === 0) return <Empty>{t("dashboard.tiles.activity.empty")}</Empty>;
      const day = new Intl.DateTimeFormat(i18n.language, { day: "numeric", month: "short" });
      return (
        <>
          <Figure
            value={count(total)}
            caption={t("dashboard.tiles.activity.caption", { count: total, weeks: weeks.length })}
          />
          <Chart
            kind="line"
            height={200}
            label={t("dashboard.tiles.activity.chart")}
            categoryLabel={t("dashboard.tiles.activity.week")}
            valueLabel={t("dashboard.tiles.activity.title")}
            {...integer}
            categories={weeks.map((w) =>
              t("dashboard.tiles.activity.weekOf", { date: day.format(w.week) }),
            )}
            series={[
              { name: t("dashboard.tiles.activity.title"), values: weeks.map((w) => w.events) },
            ]}
          />
        </>
      );
    }
  }
}
