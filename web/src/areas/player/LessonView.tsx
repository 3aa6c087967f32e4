import { Badge, Button, Group, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import {
  type CourseProgress,
  type Lesson,
  type LessonProgress,
  useCompleteLesson,
  useLessonVisit,
} from "../../api/player";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { usePageTitle } from "../../ui/usePageTitle";
import { CompletionPanel } from "./CompletionPanel";
import { hostedVideoEmbed } from "./hostedVideo";
import { LessonContent, liveState } from "./LessonContent";
import { NotesPanel } from "./NotesPanel";
import { lessonPath, neighbours } from "./outline";
import { useStudyTracker } from "./useStudyTracker";

/** Previous and next lesson as links; after the last lesson, back to the course page. */
function LessonNav({
  courseId,
  lessonId,
  outline,
}: {
  courseId: string;
  lessonId: string;
  outline: CourseProgress | undefined;
}) {
  const { t } = useTranslation("player");
  if (!outline) return null;
  const { previous, next } = neighbours(outline, lessonId);
  return (
    <Group component="nav" aria-label={t("lesson.pagination")} justify="space-between" gap="sm">
      {previous ? (
        <Button
          component={Link}
          to={lessonPath(courseId, previous.lesson.id)}
          variant="default"
          title={previous.lesson.title}
        >
          ← {t("lesson.previous")}
        </Button>
      ) : (
        <span />
      )}
      {next ? (
        <Button
          component={Link}
          to={lessonPath(courseId, next.lesson.id)}
          title={next.lesson.title}
        >
          {t("lesson.next")} →
        </Button>
      ) : (
        <Button component={Link} to={`/courses/${courseId}`} variant="light">
          {t("lesson.backToCourseEnd")}
        </Button>
      )}
    </Group>
  );
}

function VisitBody({
  lesson,
  visit,
  outline,
}: {
  lesson: Lesson;
  visit: LessonProgress;
  outline: CourseProgress | undefined;
}) {
  const me = useSignedInMe();
  const media = useRef<HTMLMediaElement | null>(null);
  const tracker = useStudyTracker(me.user.id, lesson.id, visit.status !== "completed");
  const complete = useCompleteLesson(me.user.id, lesson.id);
  const [opened, setOpened] = useState(visit.completionPercent >= 100);
  // Native players give bookmarks their time; a YouTube or Vimeo player does not.
  const timed =
    lesson.contentType === "audio" ||
    (lesson.contentType === "video" &&
      !hostedVideoEmbed(lesson.content.provider, String(lesson.content.url ?? "")));
  const markComplete = () => {
    // Report the time studied first: the server counts it towards the minimum.
    void tracker.flush().then(() => complete.mutate());
  };
  const blockedBy =
    lesson.contentType === "live-session" && liveState(lesson.content) === "upcoming"
      ? "live"
      : lesson.contentType === "external-link" && !opened
        ? "external"
        : null;
  return (
    <Stack gap="lg">
      <LessonContent
        lesson={lesson}
        visit={visit}
        tracker={tracker}
        media={media}
        onMediaEnded={() => {
          if (visit.status !== "completed" && !complete.isPending) complete.mutate();
        }}
        onExternalOpened={() => {
          setOpened(true);
          void tracker.flush({ percent: 100 });
        }}
      />
      <CompletionPanel
        lesson={lesson}
        visit={visit}
        studied={visit.timeSpentSeconds + tracker.pending}
        blockedBy={blockedBy}
        complete={complete}
        onComplete={markComplete}
        outline={outline}
      />
      <LessonNav courseId={lesson.courseId} lessonId={lesson.id} outline={outline} />
      <NotesPanel lessonId={lesson.id} visit={visit} media={media} timed={timed} />
    </Stack>
  );
}

/**
 * One lesson: its title and facts, then (once the visit is recorded with POST /start) the
 * content, completion, previous/next and the learner's notes and bookmarks.
 */
export function LessonView({
  lesson,
  outline,
  outlineButton,
}: {
  lesson: Lesson;
  outline: CourseProgress | undefined;
  /** Opens the outline drawer on small screens. */
  outlineButton: React.ReactNode;
}) {
  const { t } = useTranslation("player");
  const format = useFormat();
  const me = useSignedInMe();
  usePageTitle(lesson.title);
  const visit = useLessonVisit(me.user.id, lesson.id, lesson.courseId);
  return (
    <Stack gap="md">
      {outlineButton}
      <Title order={1}>{lesson.title}</Title>
      <Group gap="xs">
        <Badge variant="light">{t(`lesson.type.${lesson.contentType}`)}</Badge>
        {lesson.durationMinutes > 0 && (
          <Text size="sm" c="dimmed">
            {format.duration(lesson.durationMinutes)}
          </Text>
        )}
      </Group>
      {lesson.description && <Text>{lesson.description}</Text>}
      {visit.isPending && <Skeleton height={240} radius="md" aria-hidden />}
      {visit.isError && <ApiErrorAlert error={visit.error} onRetry={() => void visit.refetch()} />}
      {visit.data && <VisitBody lesson={lesson} visit={visit.data} outline={outline} />}
      {lesson.transcript && (
        <details>
          <summary>{t("lesson.transcript")}</summary>
          <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
            {lesson.transcript}
          </Text>
        </details>
      )}
    </Stack>
  );
}
