import {
  Badge,
  Group,
  NavLink,
  Progress,
  Stack,
  Text,
  ThemeIcon,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { useTranslation } from "react-i18next";
import { NavLink as RouterNavLink } from "react-router";
import type { CourseProgress, LessonState, ModuleProgress } from "../../api/player";
import { useFormat } from "../../i18n/format";
import { lessonPath, lockReason } from "./outline";

type Status = LessonState["status"] | "locked";

const MARKS: Record<Status, { mark: string; color: string }> = {
  completed: { mark: "✓", color: "teal" },
  "in-progress": { mark: "◐", color: "indigo" },
  "not-started": { mark: "○", color: "gray" },
  locked: { mark: "🔒", color: "gray" },
};

/** A lesson's state as an icon with its words for screen readers (and a tooltip title). */
function StatusMark({ status }: { status: Status }) {
  const { t } = useTranslation("player");
  const { mark, color } = MARKS[status];
  const label = t(`outline.lessonStatus.${status}`);
  return (
    <ThemeIcon size="sm" radius="xl" variant="light" color={color} title={label}>
      <span aria-hidden>{mark}</span>
      <VisuallyHidden>{label}</VisuallyHidden>
    </ThemeIcon>
  );
}

function ModuleSection({
  module,
  modules,
  courseId,
  currentLessonId,
  headingId,
}: {
  module: ModuleProgress;
  modules: ModuleProgress[];
  courseId: string;
  currentLessonId: string;
  headingId: string;
}) {
  const { t, i18n } = useTranslation("player");
  const format = useFormat();
  return (
    <Stack gap={4} component="section" aria-labelledby={headingId}>
      <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
        <Title order={3} size="h5" id={headingId}>
          {module.title}
        </Title>
        {module.completed && (
          <Badge color="teal" variant="dot" size="sm" style={{ flexShrink: 0 }}>
            {t("outline.moduleCompleted")}
          </Badge>
        )}
        {!module.unlocked && (
          <Badge color="gray" variant="dot" size="sm" style={{ flexShrink: 0 }}>
            {t("outline.locked")}
          </Badge>
        )}
      </Group>
      {module.unlocked ? (
        <Text size="xs" c="dimmed">
          {t("outline.moduleLessons", {
            completed: format.number(module.lessonsCompleted),
            total: format.number(module.lessonsTotal),
          })}
        </Text>
      ) : (
        <Text size="sm" data-testid="lock-reason">
          {lockReason(t, module, modules, format.dateTime, i18n.language)}
        </Text>
      )}
      <Stack gap={0} component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
        {module.lessons.map((lesson) => {
          const status: Status = module.unlocked ? lesson.status : "locked";
          const current = lesson.id === currentLessonId;
          return (
            <li key={lesson.id}>
              <NavLink
                component={RouterNavLink}
                to={lessonPath(courseId, lesson.id)}
                label={lesson.title}
                leftSection={<StatusMark status={status} />}
                active={current}
                aria-current={current ? "page" : undefined}
                variant="filled"
              />
            </li>
          );
        })}
      </Stack>
    </Stack>
  );
}

/** The course outline: the course's progress bar, then each module with its lessons' states. */
export function CourseOutline({
  progress,
  courseId,
  courseTitle,
  currentLessonId,
  idPrefix,
}: {
  progress: CourseProgress;
  courseId: string;
  courseTitle: string;
  currentLessonId: string;
  /** Keeps heading ids unique when the outline is shown twice (sidebar and drawer). */
  idPrefix: string;
}) {
  const { t } = useTranslation("player");
  const format = useFormat();
  const enrollment = progress.enrollment;
  // Counted from the modules, which the server reads live (the enrollment's figures are
  // written when progress changes, so they lag before the first lesson is opened).
  const completed = progress.modules.reduce((n, m) => n + m.lessonsCompleted, 0);
  const total = progress.modules.reduce((n, m) => n + m.lessonsTotal, 0);
  const percent = Math.round(
    enrollment.status === "completed"
      ? 100
      : enrollment.lessonsTotal
        ? enrollment.progressPercent
        : total && (completed / total) * 100,
  );
  return (
    <Stack gap="md" component="nav" aria-label={t("outline.title")}>
      <Stack gap={4}>
        <Text fw={600}>{courseTitle}</Text>
        <Progress value={percent} aria-label={t("outline.progressLabel")} />
        <Text size="sm" data-testid="course-progress">
          {t("outline.progress", {
            percent: format.percent(percent),
            completed: format.number(completed),
            total: format.number(total),
          })}
        </Text>
      </Stack>
      {progress.modules.map((module) => (
        <ModuleSection
          key={module.id}
          module={module}
          modules={progress.modules}
          courseId={courseId}
          currentLessonId={currentLessonId}
          headingId={`${idPrefix}-module-${module.id}`}
        />
      ))}
    </Stack>
  );
}
