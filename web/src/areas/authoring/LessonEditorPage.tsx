import {
  ActionIcon,
  Anchor,
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import {
  type EditorCourse,
  LESSON_TYPES,
  type Lesson,
  type LessonType,
  useEditorCourse,
  useEditorLesson,
  useOutlineChange,
  useSaveLesson,
} from "../../api/authoring";
import { ApiError } from "../../api/errors";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert, errorMessage } from "../../ui/ApiErrorAlert";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { FileUpload } from "./FileUpload";
import { type Content, emptyContent, LessonContentFields } from "./LessonContentFields";

interface Attachment {
  name: string;
  url: string;
  sizeBytes?: number;
  mimeType?: string;
}

/**
 * One lesson's editor (`/teaching/courses/:courseId/lessons/:lessonId`), or a new lesson's
 * (`…/modules/:moduleId/new-lesson`): its type and content, title and description, how long it
 * takes and the least time before it can be completed, whether it is a free preview, published
 * and open to comments, its attachments (uploaded with a progress bar) and transcript.
 */
export function LessonEditorPage() {
  const { t } = useTranslation("authoring");
  const { courseId = "", lessonId = "", moduleId = "" } = useParams();
  const me = useSignedInMe();
  const course = useEditorCourse(me.user.id, courseId);
  const lesson = useEditorLesson(me.user.id, courseId, lessonId);
  usePageTitle(lesson.data?.title ?? t("lesson.newTitle"));
  const back = `/teaching/courses/${courseId}?tab=content`;
  return (
    <Stack gap="md" maw={960}>
      <Anchor component={Link} to={back} w="fit-content">
        {t("lesson.back")}
      </Anchor>
      <PageState query={course} pending={<Skeleton height={400} radius="md" />}>
        {(courseData) =>
          lessonId ? (
            <PageState query={lesson} pending={<Skeleton height={400} radius="md" />}>
              {(data) => <LessonForm key={data.id} course={courseData} lesson={data} />}
            </PageState>
          ) : (
            <LessonForm course={courseData} moduleId={moduleId} />
          )
        }
      </PageState>
    </Stack>
  );
}

function LessonForm({
  course,
  lesson,
  moduleId,
}: {
  course: EditorCourse;
  lesson?: Lesson;
  moduleId?: string;
}) {
  const { t } = useTranslation("authoring");
  const me = useSignedInMe();
  const navigate = useNavigate();
  const courseId = course.course.id;
  const save = useSaveLesson(me.user.id, courseId);
  const remove = useOutlineChange(me.user.id, courseId);
  const module = course.modules.find((m) => m.id === (lesson?.moduleId ?? moduleId));
  const [type, setType] = useState<LessonType>(lesson?.contentType ?? "text");
  const [content, setContent] = useState<Content>(lesson?.content ?? emptyContent("text"));
  const [title, setTitle] = useState(lesson?.title ?? "");
  const [description, setDescription] = useState(lesson?.description ?? "");
  const [minutes, setMinutes] = useState<number | string>(lesson?.durationMinutes ?? "");
  const [minSeconds, setMinSeconds] = useState<number | string>(lesson?.minTimeSeconds ?? 0);
  const [preview, setPreview] = useState(lesson?.isPreview ?? false);
  const [published, setPublished] = useState(
    lesson?.isPublished ?? course.course.status !== "published",
  );
  const [comments, setComments] = useState(lesson?.allowComments ?? true);
  const [attachments, setAttachments] = useState<Attachment[]>(
    (lesson?.attachments as Attachment[] | undefined) ?? [],
  );
  const [transcript, setTranscript] = useState(lesson?.transcript ?? "");
  const [saved, setSaved] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const failure = save.error instanceof ApiError ? save.error : null;
  const fieldError = (field: string) =>
    failure?.field === field ? errorMessage(t, failure) : undefined;
  const knownField =
    !!failure?.field &&
    (["title", "description", "durationMinutes", "minTimeSeconds"].includes(failure.field) ||
      failure.field.startsWith("content."));

  if (!module) {
    return (
      <Stack gap="sm">
        <Title order={1}>{t("lesson.newTitle")}</Title>
        <Text>{t("lesson.noModule")}</Text>
      </Stack>
    );
  }

  const body = {
    title: title.trim(),
    description: description.trim() || null,
    contentType: type,
    content,
    ...(minutes === "" ? {} : { durationMinutes: Number(minutes) }),
    minTimeSeconds: Number(minSeconds || 0),
    isPreview: preview,
    isPublished: published,
    allowComments: comments,
    attachments,
    transcript: transcript.trim() || null,
  };
  return (
    <form
      aria-labelledby="lesson-heading"
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(false);
        if (lesson) {
          save.mutate(
            { kind: "change", lessonId: lesson.id, patch: body },
            { onSuccess: () => setSaved(true) },
          );
        } else {
          save.mutate(
            { kind: "create", moduleId: module.id, body },
            {
              onSuccess: (created) =>
                navigate(`/teaching/courses/${courseId}/lessons/${created.id}`, { replace: true }),
            },
          );
        }
      }}
    >
      <Stack gap="md">
        <Stack gap={2}>
          <Title order={1} id="lesson-heading" style={{ overflowWrap: "anywhere" }}>
            {lesson ? lesson.title : t("lesson.newTitle")}
          </Title>
          <Text c="dimmed">
            {t("lesson.inModule", { module: module.title, course: course.course.title })}
          </Text>
        </Stack>
        <Select
          label={t("lesson.type")}
          data={LESSON_TYPES.map((x) => ({ value: x, label: t(`types.${x}`) }))}
          value={type}
          allowDeselect={false}
          onChange={(value) => {
            if (!value || value === type) return;
            setType(value as LessonType);
            setContent(emptyContent(value as LessonType));
          }}
          maw={280}
        />
        <TextInput
          label={t("lesson.name")}
          required
          maxLength={255}
          value={title}
          onChange={(event) => setTitle(event.currentTarget.value)}
          error={fieldError("title")}
        />
        <Textarea
          label={t("lesson.description")}
          autosize
          minRows={2}
          maxLength={5000}
          value={description}
          onChange={(event) => setDescription(event.currentTarget.value)}
        />
        <Paper withBorder p="md" radius="md">
          <Stack gap="sm">
            <Title order={2} size="h4">
              {t("lesson.content")}
            </Title>
            <LessonContentFields
              key={type}
              courseId={courseId}
              type={type}
              content={content}
              onChange={setContent}
              fieldError={fieldError}
            />
          </Stack>
        </Paper>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NumberInput
            label={t("lesson.minutes")}
            description={t("lesson.minutesHint")}
            min={0}
            max={10_000}
            allowDecimal={false}
            value={minutes}
            onChange={setMinutes}
            error={fieldError("durationMinutes")}
          />
          <NumberInput
            label={t("lesson.minSeconds")}
            description={t("lesson.minSecondsHint")}
            min={0}
            max={86_400}
            allowDecimal={false}
            value={minSeconds}
            onChange={setMinSeconds}
            error={fieldError("minTimeSeconds")}
          />
        </SimpleGrid>
        <Stack gap="xs">
          <Switch
            label={t("lesson.published")}
            checked={published}
            onChange={(event) => setPublished(event.currentTarget.checked)}
          />
          <Switch
            label={t("lesson.preview")}
            description={t("lesson.previewHint")}
            checked={preview}
            onChange={(event) => setPreview(event.currentTarget.checked)}
          />
          <Switch
            label={t("lesson.comments")}
            checked={comments}
            onChange={(event) => setComments(event.currentTarget.checked)}
          />
        </Stack>
        <Attachments courseId={courseId} value={attachments} onChange={setAttachments} />
        {(type === "video" || type === "audio") && (
          <Textarea
            label={t("lesson.transcript")}
            autosize
            minRows={3}
            maxRows={12}
            value={transcript}
            onChange={(event) => setTranscript(event.currentTarget.value)}
          />
        )}
        {save.error && !knownField && <ApiErrorAlert error={save.error} />}
        {failure && knownField && (
          <Text c="red.9" size="sm" role="alert">
            {t("lesson.fixFields")}
          </Text>
        )}
        <Group gap="sm" pos="sticky" bottom={0} py="sm" bg="var(--mantine-color-body)" wrap="wrap">
          <Button type="submit" loading={save.isPending}>
            {lesson ? t("lesson.save") : t("lesson.create")}
          </Button>
          {saved && !save.isPending && (
            <Text size="sm" role="status">
              {t("lesson.saved")}
            </Text>
          )}
          {lesson && (
            <Button variant="outline" color="red.9" onClick={() => setDeleting(true)} ml="auto">
              {t("lesson.delete")}
            </Button>
          )}
        </Group>
      </Stack>
      {deleting && lesson && (
        <ConfirmDialog
          title={t("lesson.deleteTitle", { title: lesson.title })}
          text={t("lesson.deleteText")}
          confirm={t("lesson.delete")}
          busy={remove.isPending}
          onConfirm={() =>
            remove.mutate(
              { kind: "deleteLesson", lessonId: lesson.id },
              { onSuccess: () => navigate(`/teaching/courses/${courseId}?tab=content`) },
            )
          }
          onClose={() => setDeleting(false)}
        />
      )}
    </form>
  );
}

/** A lesson's downloads: each named, linked and removable; new ones uploaded. */
function Attachments({
  courseId,
  value,
  onChange,
}: {
  courseId: string;
  value: Attachment[];
  onChange: (attachments: Attachment[]) => void;
}) {
  const { t } = useTranslation("authoring");
  return (
    <Stack gap="xs">
      <Title order={2} size="h4">
        {t("lesson.attachments")}
      </Title>
      {value.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("lesson.noAttachments")}
        </Text>
      ) : (
        <Stack gap={4} component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
          {value.map((a, index) => (
            // The same file may be attached twice; its place tells the two apart.
            // biome-ignore lint/suspicious/noArrayIndexKey: attachments have no id of their own
            <Group key={`${a.url}-${index}`} component="li" gap="xs" wrap="nowrap">
              <Anchor
                href={a.url}
                target="_blank"
                rel="noopener"
                style={{ overflowWrap: "anywhere" }}
              >
                {a.name}
              </Anchor>
              <ActionIcon
                variant="subtle"
                color="red.9"
                aria-label={t("lesson.removeAttachment", { name: a.name })}
                onClick={() => onChange(value.filter((_, i) => i !== index))}
              >
                <span aria-hidden="true">×</span>
              </ActionIcon>
            </Group>
          ))}
        </Stack>
      )}
      <FileUpload
        courseId={courseId}
        accept="application/pdf,image/png,image/jpeg,image/webp,audio/*,video/*"
        label={t("lesson.addAttachment")}
        onUploaded={(file) =>
          onChange([
            ...value,
            { name: file.name, url: file.url, sizeBytes: file.sizeBytes, mimeType: file.mimeType },
          ])
        }
      />
    </Stack>
  );
}
