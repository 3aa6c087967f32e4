import { Anchor, Badge, Button, Group, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import {
  type EditorCourse,
  type Module,
  reorderCached,
  useOutlineChange,
} from "../../api/authoring";
import { type AuthoredQuiz, useAddQuiz, useAuthoredQuizzes } from "../../api/quizAuthoring";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { EmptyState } from "../../ui/EmptyState";
import { SortableList } from "../../ui/SortableList";
import { ModuleDialog } from "./ModuleDialog";

type OutlineModule = EditorCourse["modules"][number];

/**
 * A course's modules and lessons in order, as its editors see them (unpublished ones too):
 * both reordered by dragging (or the keyboard), the new order shown at once and saved; a
 * module's settings and unlock rule in a dialog; lessons opened in their editor; modules
 * added at the end. `focusModule` (from the publication checklist) scrolls to one module.
 */
export function ContentOutline({
  course,
  focusModule,
}: {
  course: EditorCourse;
  focusModule: string | null;
}) {
  const { t } = useTranslation("authoring");
  const me = useSignedInMe();
  const client = useQueryClient();
  const courseId = course.course.id;
  const change = useOutlineChange(me.user.id, courseId);
  const quizzes = useAuthoredQuizzes(me.user.id, courseId);
  const [editing, setEditing] = useState<Module | null>(null);
  const [deleting, setDeleting] = useState<OutlineModule | null>(null);
  return (
    <Stack gap="md">
      <Text c="dimmed">{t("outline.intro")}</Text>
      {change.error && !deleting && <ApiErrorAlert error={change.error} />}
      {course.modules.length === 0 ? (
        <EmptyState title={t("outline.emptyTitle")} reason={t("outline.emptyReason")} />
      ) : (
        <Stack gap="sm" component="ol" style={{ listStyle: "none", padding: 0, margin: 0 }}>
          <SortableList
            items={course.modules}
            label={(m) => m.title}
            itemElement="li"
            onReorder={(moduleIds) => {
              reorderCached(client, me.user.id, courseId, { moduleIds });
              change.mutate({ kind: "orderModules", moduleIds });
            }}
          >
            {(module, handle) => (
              <ModuleCard
                courseId={courseId}
                module={module}
                modules={course.modules}
                quizzes={(quizzes.data ?? []).filter((q) => q.moduleId === module.id)}
                handle={handle}
                highlighted={focusModule === module.id}
                onEdit={() => setEditing(module)}
                onDelete={() => setDeleting(module)}
                onReorderLessons={(lessonIds) => {
                  reorderCached(client, me.user.id, courseId, {
                    moduleId: module.id,
                    lessonIds,
                  });
                  change.mutate({ kind: "orderLessons", moduleId: module.id, lessonIds });
                }}
              />
            )}
          </SortableList>
        </Stack>
      )}
      <NewModuleForm courseId={courseId} />
      {editing && (
        <ModuleDialog
          courseId={courseId}
          module={editing}
          others={course.modules.filter((m) => m.id !== editing.id)}
          onClose={() => setEditing(null)}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={t("outline.deleteTitle", { title: deleting.title })}
          text={t("outline.deleteText", { count: deleting.lessons.length })}
          confirm={t("outline.deleteConfirm")}
          busy={change.isPending}
          onConfirm={() =>
            change.mutate(
              { kind: "deleteModule", moduleId: deleting.id },
              { onSuccess: () => setDeleting(null) },
            )
          }
          onClose={() => setDeleting(null)}
        />
      )}
    </Stack>
  );
}

/** How a module opens to learners, in words. */
export function useUnlockText() {
  const { t } = useTranslation("authoring");
  const format = useFormat();
  return (module: Module, others: readonly Module[]) => {
    switch (module.unlockType) {
      case "scheduled":
        return module.unlockAt
          ? t("unlock.scheduledAt", { date: format.dateTime(module.unlockAt) })
          : t("unlock.scheduled");
      case "sequential":
        return t("unlock.sequential");
      case "prerequisites":
        return t("unlock.after", {
          modules: module.prerequisiteModuleIds
            .map((id) => others.find((m) => m.id === id)?.title)
            .filter(Boolean)
            .join(", "),
        });
      default:
        return t("unlock.immediate");
    }
  };
}

function ModuleCard({
  courseId,
  module,
  modules,
  quizzes,
  handle,
  highlighted,
  onEdit,
  onDelete,
  onReorderLessons,
}: {
  courseId: string;
  module: OutlineModule;
  modules: readonly Module[];
  quizzes: readonly AuthoredQuiz[];
  handle: ReactNode;
  highlighted: boolean;
  onEdit: () => void;
  onDelete: () => void;
  onReorderLessons: (ids: string[]) => void;
}) {
  const { t } = useTranslation("authoring");
  const format = useFormat();
  const unlockText = useUnlockText();
  const navigate = useNavigate();
  const me = useSignedInMe();
  const addQuiz = useAddQuiz(me.user.id, courseId);
  const headingId = `module-${module.id}`;
  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      id={headingId}
      aria-labelledby={`${headingId}-title`}
      component="section"
      style={highlighted ? { outline: "3px solid var(--mantine-color-blue-9)" } : undefined}
      ref={(node: HTMLElement | null) => {
        if (highlighted && node) node.scrollIntoView({ block: "center" });
      }}
    >
      <Stack gap="sm">
        <Group gap="xs" wrap="nowrap" align="flex-start">
          {handle}
          <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
            <Group gap="xs" wrap="wrap">
              <Title
                order={3}
                size="h4"
                id={`${headingId}-title`}
                style={{ overflowWrap: "anywhere" }}
              >
                {module.title}
              </Title>
              {!module.isPublished && (
                <Badge variant="outline" color="gray.8">
                  {t("outline.unpublished")}
                </Badge>
              )}
            </Group>
            <Text size="sm" c="dimmed">
              {unlockText(module, modules)}
            </Text>
          </Stack>
        </Group>
        {module.lessons.length === 0 ? (
          <Text size="sm">{t("outline.noLessons")}</Text>
        ) : (
          <Stack gap={4} component="ol" style={{ listStyle: "none", padding: 0, margin: 0 }}>
            <SortableList
              items={module.lessons}
              label={(l) => l.title}
              onReorder={onReorderLessons}
              itemElement="li"
            >
              {(lesson, lessonHandle) => (
                <Group gap="xs" wrap="nowrap" py={4}>
                  {lessonHandle}
                  <Badge variant="outline" color="blue.9" w={110} style={{ flexShrink: 0 }}>
                    {t(`types.${lesson.contentType}`)}
                  </Badge>
                  <Anchor
                    component={Link}
                    to={`/teaching/courses/${courseId}/lessons/${lesson.id}`}
                    style={{ flex: 1, minWidth: 0, overflowWrap: "anywhere" }}
                  >
                    {lesson.title}
                  </Anchor>
                  {lesson.isPreview && (
                    <Badge variant="outline" color="teal.9" visibleFrom="xs">
                      {t("lesson.preview")}
                    </Badge>
                  )}
                  {!lesson.isPublished && (
                    <Badge variant="outline" color="gray.8">
                      {t("outline.unpublished")}
                    </Badge>
                  )}
                  <Text size="sm" c="dimmed" visibleFrom="sm">
                    {format.duration(lesson.durationMinutes)}
                  </Text>
                </Group>
              )}
            </SortableList>
          </Stack>
        )}
        {quizzes.length > 0 && (
          <Stack gap={4} component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
            {quizzes.map((quiz) => (
              <Group key={quiz.id} component="li" gap="xs" wrap="nowrap" py={4}>
                <Badge variant="outline" color="grape.9" w={110} style={{ flexShrink: 0 }}>
                  {t("outline.quiz")}
                </Badge>
                <Anchor
                  component={Link}
                  to={`/teaching/courses/${courseId}/quizzes/${quiz.id}`}
                  style={{ flex: 1, minWidth: 0, overflowWrap: "anywhere" }}
                >
                  {quiz.title}
                </Anchor>
                {!quiz.isPublished && (
                  <Badge variant="outline" color="gray.8">
                    {t("outline.unpublished")}
                  </Badge>
                )}
              </Group>
            ))}
          </Stack>
        )}
        {addQuiz.error && <ApiErrorAlert error={addQuiz.error} />}
        <Group gap="xs" wrap="wrap">
          <Button
            size="xs"
            variant="light"
            loading={addQuiz.isPending}
            aria-label={t("outline.addQuizTo", { title: module.title })}
            onClick={() =>
              addQuiz.mutate(
                { moduleId: module.id, title: t("outline.newQuizTitle", { title: module.title }) },
                {
                  onSuccess: (quiz) => navigate(`/teaching/courses/${courseId}/quizzes/${quiz.id}`),
                },
              )
            }
          >
            {t("outline.addQuiz")}
          </Button>
          <Button
            component={Link}
            to={`/teaching/courses/${courseId}/modules/${module.id}/new-lesson`}
            size="xs"
            variant="light"
            aria-label={t("outline.addLessonTo", { title: module.title })}
          >
            {t("outline.addLesson")}
          </Button>
          <Button
            size="xs"
            variant="default"
            onClick={onEdit}
            aria-label={t("outline.editModule", { title: module.title })}
          >
            {t("outline.edit")}
          </Button>
          <Button
            size="xs"
            variant="outline"
            color="red.9"
            onClick={onDelete}
            aria-label={t("outline.deleteModule", { title: module.title })}
          >
            {t("outline.delete")}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function NewModuleForm({ courseId }: { courseId: string }) {
  const { t } = useTranslation("authoring");
  const me = useSignedInMe();
  const add = useOutlineChange(me.user.id, courseId);
  const [title, setTitle] = useState("");
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (!title.trim()) return;
        add.mutate({ kind: "addModule", title: title.trim() }, { onSuccess: () => setTitle("") });
      }}
    >
      <Stack gap="xs">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput
            label={t("outline.newModule")}
            required
            maxLength={255}
            value={title}
            onChange={(event) => setTitle(event.currentTarget.value)}
            w={{ base: "100%", xs: 320 }}
          />
          <Button type="submit" loading={add.isPending}>
            {t("outline.addModule")}
          </Button>
        </Group>
        {add.error && <ApiErrorAlert error={add.error} />}
      </Stack>
    </form>
  );
}
