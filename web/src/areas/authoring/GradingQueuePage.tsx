import { Anchor, Group, Select, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useEditorCourse } from "../../api/authoring";
import { type QueueShow, useGradingQueue } from "../../api/grading";
import { useSignedInMe } from "../../app/RequireAuth";
import { EmptyState } from "../../ui/EmptyState";
import { FilterSelect } from "../../ui/FilterSelect";
import { PageState } from "../../ui/PageState";
import { usePageParams } from "../../ui/usePageParams";
import { usePageTitle } from "../../ui/usePageTitle";
import { GradeCard, GradedCard } from "./GradeCard";

const SHOWS = ["all", "pending", "flagged", "graded"] as const;

/**
 * A course's grading queue (`/teaching/courses/:courseId/grading`): open answers waiting for
 * a person's grade and AI grades flagged for review, oldest submission first, filtered by kind
 * and quiz in the URL. Each answer is graded in place (GradeCard); graded answers leave the
 * queue for the list of graded answers (`?show=graded`, latest grade first), each leading to
 * its attempt, where it is regraded.
 */
export function GradingQueuePage() {
  const { t } = useTranslation("authoring");
  const { courseId = "" } = useParams();
  const me = useSignedInMe();
  const params = usePageParams();
  const show: QueueShow = SHOWS.find((s) => s === params.get("show")) ?? "all";
  const quizId = params.get("quiz");
  const course = useEditorCourse(me.user.id, courseId);
  const queue = useGradingQueue(me.user.id, courseId, show, quizId);
  // The quizzes the unfiltered queue names, for the filter (the filtered one names one).
  const everything = useGradingQueue(me.user.id, courseId, "all", null);
  const quizzes = [
    ...new Map((everything.data ?? []).map((item) => [item.quizId, item.quizTitle])),
  ].map(([value, label]) => ({ value, label }));
  const title = course.data
    ? t("grading.pageTitle", { title: course.data.course.title })
    : t("grading.title");
  usePageTitle(title);
  return (
    <Stack gap="md" maw={960}>
      <Group gap="md" wrap="wrap">
        <Anchor component={Link} to={`/teaching/courses/${courseId}`}>
          {t("grading.back")}
        </Anchor>
        <Anchor component={Link} to={`/teaching/courses/${courseId}/gradebook`}>
          {t("gradebook.editorLink")}
        </Anchor>
      </Group>
      <Title order={1} style={{ overflowWrap: "anywhere" }}>
        {title}
      </Title>
      <Text c="dimmed">{t("grading.intro")}</Text>
      <Group gap="md" align="flex-end" wrap="wrap">
        <Select
          label={t("grading.show")}
          data={SHOWS.map((s) => ({
            value: s,
            label: s === "graded" ? t("gradebook.queue.showGraded") : t(`grading.shows.${s}`),
          }))}
          value={show}
          allowDeselect={false}
          onChange={(value) => params.set("show", value === "all" ? null : value)}
          w={{ base: "100%", xs: 240 }}
        />
        {quizzes.length > 1 && (
          <FilterSelect
            label={t("grading.quiz")}
            any={t("grading.anyQuiz")}
            options={quizzes}
            value={quizId}
            onChange={(value) => params.set("quiz", value)}
            w={{ base: "100%", xs: 280 }}
          />
        )}
      </Group>
      <PageState
        query={queue}
        pending={<Skeleton height={240} radius="md" />}
        isEmpty={(items) => items.length === 0}
        empty={
          show === "graded" ? (
            <EmptyState
              title={t("gradebook.queue.gradedEmptyTitle")}
              reason={t("gradebook.queue.gradedEmptyReason")}
            />
          ) : (
            <EmptyState title={t("grading.emptyTitle")} reason={t("grading.emptyReason")} />
          )
        }
      >
        {(items) => (
          <Stack gap="md">
            <Text size="sm" role="status">
              {show === "graded"
                ? t("gradebook.queue.gradedCount", { count: items.length })
                : t("grading.count", { count: items.length })}
            </Text>
            {items.map((item) =>
              show === "graded" ? (
                <GradedCard key={item.answerId} courseId={courseId} item={item} />
              ) : (
                <GradeCard key={item.answerId} courseId={courseId} item={item} />
              ),
            )}
          </Stack>
        )}
      </PageState>
    </Stack>
  );
}
