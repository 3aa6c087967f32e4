import { Anchor, Box, Button, Drawer, Group, Skeleton, Stack } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import type { UseQueryResult } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useLocation, useParams } from "react-router";
import type { EnrollmentView } from "../../api/learner";
import { useMyEnrollments } from "../../api/learner";
import {
  type CourseProgress,
  useCourseProgress,
  useLesson,
  useLessonVisit,
} from "../../api/player";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { CourseOutline } from "./CourseOutline";
import { LessonView } from "./LessonView";
import { lessonPath, lockReason } from "./outline";
import { PlayerError, Refusal, refusalOf } from "./Refusal";

/** Enrollments that open a course's lessons (the API also checks the access window). */
const LEARNING = new Set<EnrollmentView["status"]>(["active", "completed"]);

function PlayerSkeleton() {
  return (
    <Stack gap="md" aria-hidden>
      <Skeleton height={36} width="60%" />
      <Skeleton height={240} radius="md" />
      <Skeleton height={120} radius="md" />
    </Stack>
  );
}

/**
 * The outline beside the lesson from 768 px, and in a drawer below; `children` gets the
 * button that opens the drawer (shown only on small screens).
 */
function PlayerLayout({
  enrollment,
  query,
  lessonId,
  children,
}: {
  enrollment: EnrollmentView;
  query: UseQueryResult<CourseProgress | null>;
  lessonId: string;
  children: (outlineButton: React.ReactNode) => React.ReactNode;
}) {
  const { t } = useTranslation("player");
  const [opened, { open, close }] = useDisclosure(false);
  const location = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: closes the drawer on every navigation
  useEffect(() => close(), [location.pathname, close]);
  const courseId = enrollment.courseId;
  const outline = query.data ?? undefined;
  const outlineOf = (idPrefix: string) =>
    query.isError ? (
      <ApiErrorAlert error={query.error} onRetry={() => void query.refetch()} />
    ) : outline ? (
      <CourseOutline
        progress={outline}
        courseId={courseId}
        courseTitle={enrollment.course.title}
        currentLessonId={lessonId}
        idPrefix={idPrefix}
      />
    ) : (
      <Skeleton height={300} radius="md" aria-hidden />
    );
  const outlineButton = (
    <Group justify="space-between" gap="sm">
      <Anchor component={Link} to={`/courses/${courseId}`} size="sm">
        ← {t("backToCourse")}
      </Anchor>
      <Button variant="default" size="xs" hiddenFrom="sm" onClick={open}>
        {t("openOutline")}
      </Button>
    </Group>
  );
  return (
    <Group align="flex-start" gap="lg" wrap="nowrap">
      <Box
        visibleFrom="sm"
        w={{ sm: 240, lg: 300 }}
        style={{ flexShrink: 0, position: "sticky", top: 76 }}
      >
        {outlineOf("sidebar")}
      </Box>
      <Box style={{ flex: 1, minWidth: 0 }}>{children(outlineButton)}</Box>
      <Drawer opened={opened} onClose={close} title={t("outline.title")} size="85%">
        {outlineOf("drawer")}
      </Drawer>
    </Group>
  );
}

/** A locked lesson inside the player: the outline shows where it is, this says why. */
function LockedLesson({
  courseId,
  lessonId,
  outline,
}: {
  courseId: string;
  lessonId: string;
  outline: CourseProgress | undefined;
}) {
  const { t, i18n } = useTranslation("player");
  const format = useFormat();
  const module = outline?.modules.find((m) => m.lessons.some((l) => l.id === lessonId));
  const reason = module
    ? `${t("refusal.lockedBody")} ${lockReason(t, module, outline?.modules ?? [], format.dateTime, i18n.language)}`
    : undefined;
  return <Refusal kind="locked" courseId={courseId} reason={reason} />;
}

/**
 * `/courses/:courseId/lessons/:lessonId`: a lesson of a course the person is enrolled in. Reads
 * the lesson (GET /lessons/{id}, which refuses with NOT_ENROLLED or MODULE_LOCKED), the
 * person's enrollments (shared with My learning) and the course map
 * (GET /courses/{id}/progress/mine), and records the visit (POST /start), all at once.
 */
export function LessonPlayerPage() {
  const { courseId = "", lessonId = "" } = useParams();
  const { t } = useTranslation("player");
  const me = useSignedInMe();
  const enrollments = useMyEnrollments(me.user.id);
  const lesson = useLesson(me.user.id, lessonId);
  const enrollment = enrollments.data?.items.find((e) => e.courseId === courseId);
  const learning = enrollment && LEARNING.has(enrollment.status) ? enrollment : undefined;
  const outline = useCourseProgress(me.user.id, courseId);
  // Recording the visit (POST /start) answers the notes and bookmarks the lesson shows: start
  // it with the reads rather than after the lesson has answered (LessonView reads the same
  // query). The server records nothing for a lesson the person may not open.
  useLessonVisit(me.user.id, lessonId, courseId);

  if (lesson.isError) {
    const kind = refusalOf(lesson.error);
    if (kind === "locked" && learning)
      return (
        <PlayerLayout enrollment={learning} query={outline} lessonId={lessonId}>
          {(outlineButton) => (
            <Stack gap="md">
              {outlineButton}
              <LockedLesson
                courseId={courseId}
                lessonId={lessonId}
                outline={outline.data ?? undefined}
              />
            </Stack>
          )}
        </PlayerLayout>
      );
    if (kind === "inactive" && enrollment)
      return (
        <Refusal
          kind="inactive"
          courseId={courseId}
          reason={t("refusal.inactiveBody", { status: t(`refusal.status.${enrollment.status}`) })}
        />
      );
    if (kind) return <Refusal kind={kind} courseId={courseId} />;
    return <PlayerError error={lesson.error} onRetry={() => void lesson.refetch()} />;
  }
  if (enrollments.isError)
    return <PlayerError error={enrollments.error} onRetry={() => void enrollments.refetch()} />;
  if (lesson.isPending || enrollments.isPending) return <PlayerSkeleton />;
  // One canonical address: a lesson reached under another course's path moves to its own.
  if (lesson.data.courseId !== courseId)
    return <Navigate replace to={lessonPath(lesson.data.courseId, lessonId)} />;
  // A preview lesson is readable without enrolling, but the player records progress.
  if (!learning) return <Refusal kind="not-enrolled" courseId={courseId} />;
  return (
    <PlayerLayout enrollment={learning} query={outline} lessonId={lessonId}>
      {(outlineButton) => (
        <LessonView
          key={lessonId}
          lesson={lesson.data}
          outline={outline.data ?? undefined}
          outlineButton={outlineButton}
        />
      )}
    </PlayerLayout>
  );
}
