import {
  Anchor,
  Badge,
  Box,
  Paper,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Switch,
  Table,
  Text,
  Title,
} from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useEditorCourse } from "../../api/authoring";
import { useAuthoredQuizzes } from "../../api/quizAuthoring";
import {
  type ItemAnalysis,
  type LearningGainReport,
  useItemAnalysis,
  useLearningGain,
} from "../../api/results";
import { useSignedInMe } from "../../app/RequireAuth";
import { Chart } from "../../ui/charts/Chart";
import { EmptyState } from "../../ui/EmptyState";
import { PageState } from "../../ui/PageState";
import { usePageParams } from "../../ui/usePageParams";
import { usePageTitle } from "../../ui/usePageTitle";
import { difficultySeries, distributionSeries, prePostAverages } from "./results";

/** Numbers as the results page writes them, in the page's language. */
function useNumbers() {
  const { i18n } = useTranslation();
  const locale = i18n.language;
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const twoDigits = new Intl.NumberFormat(locale, {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  const signed = new Intl.NumberFormat(locale, {
    maximumFractionDigits: 2,
    signDisplay: "exceptZero",
  });
  const dash = (format: (n: number) => string) => (n: number | null | undefined) =>
    n === null || n === undefined ? "–" : format(n);
  return {
    /** A score of 0–100 ("66.7%"). */
    score: dash((n) => percent.format(n / 100)),
    /** A gain, difficulty or correlation, to two decimals ("0.50"). */
    ratio: dash((n) => twoDigits.format(n)),
    /** A change in points ("+60"). */
    change: dash((n) => signed.format(n)),
    count: (n: number) => new Intl.NumberFormat(locale).format(n),
  };
}

/** Figures as a description list: a label above each value. */
function Figures({ items }: { items: Array<{ label: string; value: string }> }) {
  return (
    <SimpleGrid component="dl" cols={{ base: 2, sm: items.length > 4 ? 5 : 4 }} spacing="sm" m={0}>
      {items.map((item) => (
        <Paper key={item.label} withBorder p="sm" radius="md">
          <Text component="dt" size="sm" c="dimmed">
            {item.label}
          </Text>
          <Text component="dd" m={0} fw={700} size="lg">
            {item.value}
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack component="section" gap="md" aria-label={title}>
      <Title order={2}>{title}</Title>
      {children}
    </Stack>
  );
}

const BAND_COLORS = { high: "teal.9", medium: "blue.9", low: "grape.9" } as const;

function LearningGain({ report }: { report: LearningGainReport }) {
  const { t } = useTranslation("authoring");
  const n = useNumbers();
  const averages = prePostAverages(report);
  const prePost = (groups: typeof averages.cohorts, name: (key: string | null) => string) => ({
    categories: groups.map((g) => name(g.name)),
    series: [
      { name: t("results.gain.preSeries"), values: groups.map((g) => g.pre) },
      { name: t("results.gain.postSeries"), values: groups.map((g) => g.post) },
    ],
  });
  return (
    <Stack gap="lg">
      <Figures
        items={[
          { label: t("results.gain.learners"), value: n.count(report.course.learners) },
          { label: t("results.gain.pre"), value: n.score(averages.course.pre) },
          { label: t("results.gain.post"), value: n.score(averages.course.post) },
          { label: t("results.gain.averageGain"), value: n.ratio(report.course.averageGain) },
          { label: t("results.gain.classGain"), value: n.ratio(report.course.classGain) },
        ]}
      />
      {report.course.atCeiling > 0 && (
        <Text size="sm">{t("results.gain.atCeiling", { count: report.course.atCeiling })}</Text>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Stack gap="xs" miw={0}>
          <Title order={3}>{t("results.gain.byCohort")}</Title>
          <Chart
            kind="bar"
            label={t("results.gain.byCohortChart")}
            categoryLabel={t("results.gain.cohort")}
            valueLabel={t("results.percentLabel")}
            valueFormatter={n.score}
            max={100}
            {...prePost(averages.cohorts, (name) => name ?? t("results.gain.noCohort"))}
          />
        </Stack>
        <Stack gap="xs" miw={0}>
          <Title order={3}>{t("results.gain.bySkill")}</Title>
          {averages.skills.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t("results.gain.noSkills")}
            </Text>
          ) : (
            <Chart
              kind="bar"
              label={t("results.gain.bySkillChart")}
              categoryLabel={t("results.gain.skill")}
              valueLabel={t("results.percentLabel")}
              valueFormatter={n.score}
              max={100}
              {...prePost(averages.skills, (name) => name ?? "")}
            />
          )}
        </Stack>
      </SimpleGrid>
      <Title order={3}>{t("results.gain.byLearner")}</Title>
      <Table.ScrollContainer minWidth={0}>
        <Table striped withTableBorder aria-label={t("results.gain.byLearner")}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t("results.gain.learner")}</Table.Th>
              <Table.Th scope="col" ta="right">
                {t("results.gain.preSeries")}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t("results.gain.postSeries")}
              </Table.Th>
              <Table.Th scope="col" ta="right" visibleFrom="sm">
                {t("results.gain.improvement")}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t("results.gain.normalizedGain")}
              </Table.Th>
              <Table.Th scope="col" visibleFrom="sm">
                {t("results.gain.band")}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.learners.map((learner) => (
              <Table.Tr key={learner.enrollmentId}>
                <Table.Th scope="row" fw="normal" style={{ overflowWrap: "anywhere" }}>
                  {learner.name}
                </Table.Th>
                <Table.Td ta="right">{n.score(learner.preScore)}</Table.Td>
                <Table.Td ta="right">{n.score(learner.postScore)}</Table.Td>
                <Table.Td ta="right" visibleFrom="sm">
                  {n.change(learner.scoreImprovement)}
                </Table.Td>
                <Table.Td ta="right">{n.ratio(learner.normalizedGain)}</Table.Td>
                <Table.Td visibleFrom="sm">
                  <Badge
                    variant="outline"
                    color={learner.band ? BAND_COLORS[learner.band] : "gray.8"}
                  >
                    {t(`results.gain.bands.${learner.band ?? "none"}`)}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

function Items({ analysis }: { analysis: ItemAnalysis }) {
  const { t } = useTranslation("authoring");
  const n = useNumbers();
  const distribution = distributionSeries(analysis.scoreDistribution);
  const difficulty = difficultySeries(analysis.items);
  const items = [...analysis.items].sort((a, b) => a.position - b.position);
  return (
    <Stack gap="lg">
      <Figures
        items={[
          { label: t("results.items.attempts"), value: n.count(analysis.attempts) },
          { label: t("results.items.mean"), value: n.score(analysis.scoreDistribution.mean) },
          { label: t("results.items.median"), value: n.score(analysis.scoreDistribution.median) },
          {
            label: t("results.items.passRate"),
            value: n.score(analysis.scoreDistribution.passRate),
          },
        ]}
      />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Stack gap="xs" miw={0}>
          <Title order={3}>{t("results.items.distribution")}</Title>
          <Chart
            kind="bar"
            label={t("results.items.distributionChart")}
            categoryLabel={t("results.items.scoreRange")}
            valueLabel={t("results.items.count")}
            valueFormatter={n.count}
            integer
            categories={distribution.categories}
            series={[{ name: t("results.items.count"), values: distribution.counts }]}
          />
        </Stack>
        <Stack gap="xs" miw={0}>
          <Title order={3}>{t("results.items.difficultyChart")}</Title>
          <Chart
            kind="bar"
            label={t("results.items.difficultyChart")}
            categoryLabel={t("results.items.question")}
            valueLabel={t("results.items.difficulty")}
            valueFormatter={n.ratio}
            max={1}
            categories={difficulty.categories}
            series={[{ name: t("results.items.difficulty"), values: difficulty.values }]}
          />
        </Stack>
      </SimpleGrid>
      <Title order={3}>{t("results.items.questions")}</Title>
      <Stack gap={4}>
        <Text size="sm">{t("results.items.difficultyHelp")}</Text>
        <Text size="sm">{t("results.items.discriminationHelp")}</Text>
      </Stack>
      <Table.ScrollContainer minWidth={0}>
        <Table striped withTableBorder aria-label={t("results.items.questions")}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t("results.items.question")}</Table.Th>
              <Table.Th scope="col" visibleFrom="md">
                {t("results.items.type")}
              </Table.Th>
              <Table.Th scope="col" ta="right" visibleFrom="sm">
                {t("results.items.responses")}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t("results.items.difficulty")}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t("results.items.discrimination")}
              </Table.Th>
              <Table.Th scope="col" ta="right" visibleFrom="sm">
                {t("results.items.pointBiserial")}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((item) => (
              <Table.Tr key={item.questionId}>
                <Table.Th scope="row" fw="normal" style={{ overflowWrap: "anywhere" }}>
                  {`Q${item.position}. ${item.text}`}
                </Table.Th>
                <Table.Td visibleFrom="md">
                  {t(`results.items.questionTypes.${item.type}`, { defaultValue: item.type })}
                </Table.Td>
                <Table.Td ta="right" visibleFrom="sm">
                  {n.count(item.responses)}
                </Table.Td>
                <Table.Td ta="right">{n.ratio(item.difficulty)}</Table.Td>
                <Table.Td ta="right">{n.ratio(item.discrimination)}</Table.Td>
                <Table.Td ta="right" visibleFrom="sm">
                  {n.ratio(item.pointBiserial)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

const chartsSkeleton = (
  <Stack gap="md" aria-hidden>
    <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
      {[1, 2, 3, 4].map((i) => (
        <Skeleton key={i} height={64} radius="md" />
      ))}
    </SimpleGrid>
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
      <Skeleton height={280} radius="md" />
      <Skeleton height={280} radius="md" />
    </SimpleGrid>
    <Skeleton height={160} radius="md" />
  </Stack>
);

/**
 * A course's results for its team (`/teaching/courses/:courseId/results`): the learning gain
 * between pre- and post-course tests (overall, by cohort and skill as charts, by learner as a
 * table) and the item analysis of a quiz chosen in the URL (`?quiz=`, `&first=1` for first
 * attempts only): its score distribution and each question's difficulty and discrimination.
 */
export function CourseResultsPage() {
  const { t } = useTranslation("authoring");
  const { courseId = "" } = useParams();
  const me = useSignedInMe();
  const params = usePageParams();
  const course = useEditorCourse(me.user.id, courseId);
  const gain = useLearningGain(me.user.id, courseId);
  const quizzes = useAuthoredQuizzes(me.user.id, courseId);
  const quizList = quizzes.data ?? [];
  const chosen = params.get("quiz");
  const quizId = quizList.find((q) => q.id === chosen)?.id ?? quizList[0]?.id ?? null;
  const firstOnly = params.get("first") === "1";
  const analysis = useItemAnalysis(me.user.id, quizId, firstOnly);
  const title = course.data
    ? t("results.pageTitle", { title: course.data.course.title })
    : t("results.title");
  usePageTitle(title);
  return (
    <Stack gap="xl" maw={1120}>
      <Stack gap="md">
        <Anchor component={Link} to={`/teaching/courses/${courseId}`} w="fit-content">
          {t("results.back")}
        </Anchor>
        <Title order={1} style={{ overflowWrap: "anywhere" }}>
          {title}
        </Title>
        <Text c="dimmed">{t("results.intro")}</Text>
      </Stack>
      <Section title={t("results.gain.title")}>
        <Text size="sm">{t("results.gain.intro")}</Text>
        <PageState
          query={gain}
          pending={chartsSkeleton}
          isEmpty={(report) => report.learners.length === 0}
          empty={
            <EmptyState
              headingLevel={3}
              title={t("results.gain.emptyTitle")}
              reason={t("results.gain.emptyReason")}
            />
          }
        >
          {(report) => <LearningGain report={report} />}
        </PageState>
      </Section>
      <Section title={t("results.items.title")}>
        <PageState
          query={quizzes}
          pending={<Skeleton height={56} radius="md" />}
          isEmpty={(list) => list.length === 0}
          empty={
            <EmptyState
              headingLevel={3}
              title={t("results.items.noQuizzesTitle")}
              reason={t("results.items.noQuizzesReason")}
            />
          }
        >
          {(list) => (
            <Stack gap="lg">
              <Box
                style={{ display: "flex", flexWrap: "wrap", gap: "var(--mantine-spacing-md)" }}
                ta="left"
              >
                <Select
                  label={t("results.items.quiz")}
                  data={list.map((q) => ({ value: q.id, label: q.title }))}
                  value={quizId}
                  allowDeselect={false}
                  onChange={(value) => params.set("quiz", value)}
                  w={{ base: "100%", xs: 320 }}
                />
                <Switch
                  label={t("results.items.firstOnly")}
                  checked={firstOnly}
                  onChange={(event) =>
                    params.set("first", event.currentTarget.checked ? "1" : null)
                  }
                  style={{ alignSelf: "flex-end" }}
                  mb={8}
                />
              </Box>
              <PageState
                query={analysis}
                pending={chartsSkeleton}
                isEmpty={(data) => data.attempts === 0}
                empty={
                  <EmptyState
                    headingLevel={3}
                    title={t("results.items.emptyTitle")}
                    reason={t("results.items.emptyReason")}
                  />
                }
              >
                {(data) => <Items analysis={data} />}
              </PageState>
            </Stack>
          )}
        </PageState>
      </Section>
    </Stack>
  );
}
