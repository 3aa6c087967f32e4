import {
  Anchor,
  Badge,
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
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { useEditorCourse } from "../../../api/authoring";
import {
  type AuthoredQuiz,
  type QuizPatch,
  type QuizQuestion,
  quizAuthoringKeys,
  useAuthoredQuiz,
  useQuizChange,
} from "../../../api/quizAuthoring";
import { useSignedInMe } from "../../../app/RequireAuth";
import { ApiErrorAlert } from "../../../ui/ApiErrorAlert";
import { ConfirmDialog } from "../../../ui/ConfirmDialog";
import { localInputValue } from "../../../ui/days";
import { EmptyState } from "../../../ui/EmptyState";
import { PageState } from "../../../ui/PageState";
import { SortableList } from "../../../ui/SortableList";
import { usePageTitle } from "../../../ui/usePageTitle";
import { BankPicker } from "./BankPicker";
import { QuestionEditor } from "./QuestionEditor";

const KINDS = [
  "graded",
  "practice",
  "knowledge-check",
  "pre-course",
  "post-course",
  "skill-assessment",
  "certification",
  "self-assessment",
  "survey",
] as const;
const POLICIES = [
  "after-submit",
  "after-passing",
  "after-all-attempts",
  "after-deadline",
  "never",
] as const;

/**
 * A quiz's builder (`/teaching/courses/:courseId/quizzes/:quizId`): its questions (written in
 * a dialog for every type, reordered by dragging, removed) and its settings — kind, window,
 * time and attempt limits, passing score, weight, randomization and a pool of questions per
 * attempt, when answers are shown, back navigation — and publishing.
 */
export function QuizBuilderPage() {
  const { t } = useTranslation("authoring");
  const { courseId = "", quizId = "" } = useParams();
  const me = useSignedInMe();
  const quiz = useAuthoredQuiz(me.user.id, courseId, quizId);
  usePageTitle(quiz.data?.title ?? t("quiz.title"));
  return (
    <Stack gap="md" maw={1000}>
      <Anchor component={Link} to={`/teaching/courses/${courseId}?tab=content`} w="fit-content">
        {t("lesson.back")}
      </Anchor>
      <PageState query={quiz} pending={<Skeleton height={400} radius="md" />}>
        {(data) => <QuizBuilder key={data.id} courseId={courseId} quiz={data} />}
      </PageState>
    </Stack>
  );
}

function QuizBuilder({ courseId, quiz }: { courseId: string; quiz: AuthoredQuiz }) {
  const { t } = useTranslation("authoring");
  const me = useSignedInMe();
  const client = useQueryClient();
  const navigate = useNavigate();
  const change = useQuizChange(me.user.id, courseId, quiz.id);
  const [editing, setEditing] = useState<QuizQuestion | "new" | null>(null);
  const [removing, setRemoving] = useState<QuizQuestion | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [picking, setPicking] = useState(false);
  const course = useEditorCourse(me.user.id, courseId);
  const orgId = course.data?.course.organizationId ?? "";
  const questions = quiz.questions ?? [];
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Title order={1} style={{ overflowWrap: "anywhere" }}>
            {quiz.title}
          </Title>
          <Group gap="sm">
            <Badge variant="outline" color={quiz.isPublished ? "teal.9" : "gray.8"}>
              {quiz.isPublished ? t("status.published") : t("status.draft")}
            </Badge>
            <Text size="sm">
              {t("quiz.totals", { count: questions.length, points: quiz.totalPoints })}
            </Text>
          </Group>
        </Stack>
        <Button
          variant={quiz.isPublished ? "default" : "filled"}
          loading={change.isPending && change.variables?.kind === "settings"}
          onClick={() =>
            change.mutate({ kind: "settings", patch: { isPublished: !quiz.isPublished } })
          }
          disabled={!quiz.isPublished && questions.length === 0}
        >
          {quiz.isPublished ? t("quiz.unpublish") : t("quiz.publish")}
        </Button>
      </Group>
      {change.error && !editing && !removing && <ApiErrorAlert error={change.error} />}

      <Stack gap="sm" component="section" aria-labelledby="quiz-questions">
        <Title order={2} id="quiz-questions">
          {t("quiz.questions")}
        </Title>
        {questions.length === 0 ? (
          <EmptyState
            title={t("quiz.noQuestionsTitle")}
            reason={t("quiz.noQuestions")}
            headingLevel={3}
          />
        ) : (
          <Stack gap="xs" component="ol" style={{ listStyle: "none", padding: 0, margin: 0 }}>
            <SortableList
              items={questions}
              label={(q) => String(q.question.text ?? "")}
              itemElement="li"
              onReorder={(questionIds) => {
                client.setQueryData<AuthoredQuiz>(
                  quizAuthoringKeys.quiz(me.user.id, courseId, quiz.id),
                  (cached) =>
                    cached && {
                      ...cached,
                      questions: questionIds.flatMap(
                        (id) => cached.questions?.find((q) => q.id === id) ?? [],
                      ),
                    },
                );
                change.mutate({ kind: "orderQuestions", questionIds });
              }}
            >
              {(question, handle) => (
                <Paper withBorder p="sm" radius="md">
                  <Group gap="xs" wrap="nowrap" align="flex-start">
                    {handle}
                    <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
                      <Text style={{ overflowWrap: "anywhere" }}>
                        {String(question.question.text ?? "")}
                      </Text>
                      <Group gap="xs">
                        <Badge variant="outline" color="blue.9">
                          {t(`questionTypes.${question.type}`, { defaultValue: question.type })}
                        </Badge>
                        <Text size="sm" c="dimmed">
                          {t("quiz.questionPoints", { count: question.points })}
                        </Text>
                      </Group>
                    </Stack>
                    <Group gap={4} wrap="wrap" justify="flex-end">
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => setEditing(question)}
                        aria-label={t("quiz.editNamed", { text: question.question.text })}
                      >
                        {t("quiz.edit")}
                      </Button>
                      <Button
                        size="xs"
                        variant="outline"
                        color="red.9"
                        onClick={() => setRemoving(question)}
                        aria-label={t("quiz.removeNamed", { text: question.question.text })}
                      >
                        {t("quiz.remove")}
                      </Button>
                    </Group>
                  </Group>
                </Paper>
              )}
            </SortableList>
          </Stack>
        )}
        <Group gap="sm">
          <Button onClick={() => setEditing("new")}>{t("quiz.addQuestion")}</Button>
          {orgId && (
            <Button variant="default" onClick={() => setPicking(true)}>
              {t("bank.fromBank")}
            </Button>
          )}
        </Group>
      </Stack>

      <QuizSettingsForm courseId={courseId} quiz={quiz} />

      <Stack gap="xs">
        <Title order={2}>{t("quiz.deleteHeading")}</Title>
        <Button variant="outline" color="red.9" w="fit-content" onClick={() => setDeleting(true)}>
          {t("quiz.delete")}
        </Button>
      </Stack>

      {editing && (
        <QuestionEditor
          courseId={courseId}
          quizId={quiz.id}
          question={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
        />
      )}
      {picking && (
        <BankPicker
          courseId={courseId}
          quizId={quiz.id}
          orgId={orgId}
          onClose={() => setPicking(false)}
        />
      )}
      {removing && (
        <ConfirmDialog
          title={t("quiz.removeTitle")}
          text={String(removing.question.text ?? "")}
          confirm={t("quiz.remove")}
          busy={change.isPending}
          onConfirm={() =>
            change.mutate(
              { kind: "removeQuestion", questionId: removing.id },
              { onSettled: () => setRemoving(null) },
            )
          }
          onClose={() => setRemoving(null)}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={t("quiz.deleteTitle", { title: quiz.title })}
          text={t("quiz.deleteText")}
          confirm={t("quiz.delete")}
          busy={change.isPending}
          onConfirm={() =>
            change.mutate(
              { kind: "delete" },
              { onSuccess: () => navigate(`/teaching/courses/${courseId}?tab=content`) },
            )
          }
          onClose={() => setDeleting(false)}
        />
      )}
    </Stack>
  );
}

function settingsOf(quiz: AuthoredQuiz) {
  return {
    title: quiz.title,
    description: quiz.description ?? "",
    instructions: quiz.instructions ?? "",
    kind: quiz.kind,
    availableFrom: quiz.availableFrom ? localInputValue(quiz.availableFrom) : "",
    availableUntil: quiz.availableUntil ? localInputValue(quiz.availableUntil) : "",
    timeLimitMinutes: (quiz.timeLimitMinutes ?? "") as number | string,
    attemptLimit: (quiz.attemptLimit ?? "") as number | string,
    passingScore: quiz.passingScore as number | string,
    weightPercent: (quiz.weightPercent ?? "") as number | string,
    randomizeQuestions: quiz.randomizeQuestions,
    randomizeAnswers: quiz.randomizeAnswers,
    questionsPerAttempt: (quiz.questionsPerAttempt ?? "") as number | string,
    showCorrectAnswers: quiz.showCorrectAnswers,
    allowBackNavigation: quiz.allowBackNavigation,
    requiredForCompletion: quiz.requiredForCompletion,
  };
}

const orNull = (value: number | string) => (value === "" ? null : Number(value));
const instant = (local: string) => (local ? new Date(local).toISOString() : null);

function QuizSettingsForm({ courseId, quiz }: { courseId: string; quiz: AuthoredQuiz }) {
  const { t } = useTranslation("authoring");
  const me = useSignedInMe();
  const change = useQuizChange(me.user.id, courseId, quiz.id);
  const [values, setValues] = useState(() => settingsOf(quiz));
  const [saved, setSaved] = useState(false);
  const set = (patch: Partial<typeof values>) => {
    setSaved(false);
    setValues((v) => ({ ...v, ...patch }));
  };
  const patch: QuizPatch = {
    title: values.title.trim(),
    description: values.description.trim() || null,
    instructions: values.instructions.trim() || null,
    kind: values.kind,
    availableFrom: instant(values.availableFrom),
    availableUntil: instant(values.availableUntil),
    timeLimitMinutes: orNull(values.timeLimitMinutes),
    attemptLimit: orNull(values.attemptLimit),
    passingScore: Number(values.passingScore || 0),
    weightPercent: orNull(values.weightPercent),
    randomizeQuestions: values.randomizeQuestions,
    randomizeAnswers: values.randomizeAnswers,
    questionsPerAttempt: orNull(values.questionsPerAttempt),
    showCorrectAnswers: values.showCorrectAnswers,
    allowBackNavigation: values.allowBackNavigation,
    requiredForCompletion: values.requiredForCompletion,
  };
  return (
    <form
      aria-labelledby="quiz-settings"
      onSubmit={(event) => {
        event.preventDefault();
        change.mutate({ kind: "settings", patch }, { onSuccess: () => setSaved(true) });
      }}
    >
      <Stack gap="sm">
        <Title order={2} id="quiz-settings">
          {t("quiz.settings")}
        </Title>
        <TextInput
          label={t("quiz.name")}
          required
          maxLength={255}
          value={values.title}
          onChange={(event) => set({ title: event.currentTarget.value })}
        />
        <Textarea
          label={t("quiz.instructions")}
          autosize
          minRows={2}
          maxLength={5000}
          value={values.instructions}
          onChange={(event) => set({ instructions: event.currentTarget.value })}
        />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select
            label={t("quiz.kind")}
            data={KINDS.map((k) => ({ value: k, label: t(`quizKinds.${k}`) }))}
            value={values.kind}
            allowDeselect={false}
            onChange={(kind) => kind && set({ kind: kind as AuthoredQuiz["kind"] })}
          />
          <NumberInput
            label={t("quiz.passingScore")}
            min={0}
            max={100}
            suffix=" %"
            value={values.passingScore}
            onChange={(passingScore) => set({ passingScore })}
          />
          <NumberInput
            label={t("quiz.weight")}
            description={t("quiz.weightHint")}
            min={0}
            max={100}
            suffix=" %"
            value={values.weightPercent}
            onChange={(weightPercent) => set({ weightPercent })}
          />
          <TextInput
            type="datetime-local"
            label={t("quiz.availableFrom")}
            value={values.availableFrom}
            onChange={(event) => set({ availableFrom: event.currentTarget.value })}
          />
          <TextInput
            type="datetime-local"
            label={t("quiz.availableUntil")}
            value={values.availableUntil}
            onChange={(event) => set({ availableUntil: event.currentTarget.value })}
          />
          <NumberInput
            label={t("quiz.timeLimit")}
            description={t("quiz.emptyNoLimit")}
            min={1}
            max={1440}
            allowDecimal={false}
            value={values.timeLimitMinutes}
            onChange={(timeLimitMinutes) => set({ timeLimitMinutes })}
          />
          <NumberInput
            label={t("quiz.attemptLimit")}
            description={t("quiz.emptyNoLimit")}
            min={1}
            max={100}
            allowDecimal={false}
            value={values.attemptLimit}
            onChange={(attemptLimit) => set({ attemptLimit })}
          />
          <NumberInput
            label={t("quiz.pool")}
            description={t("quiz.poolHint")}
            min={1}
            max={500}
            allowDecimal={false}
            value={values.questionsPerAttempt}
            onChange={(questionsPerAttempt) => set({ questionsPerAttempt })}
          />
          <Select
            label={t("quiz.showAnswers")}
            data={POLICIES.map((p) => ({ value: p, label: t(`answerPolicies.${p}`) }))}
            value={values.showCorrectAnswers}
            allowDeselect={false}
            onChange={(policy) =>
              policy && set({ showCorrectAnswers: policy as AuthoredQuiz["showCorrectAnswers"] })
            }
          />
        </SimpleGrid>
        <Switch
          label={t("quiz.randomizeQuestions")}
          checked={values.randomizeQuestions}
          onChange={(event) => set({ randomizeQuestions: event.currentTarget.checked })}
        />
        <Switch
          label={t("quiz.randomizeAnswers")}
          checked={values.randomizeAnswers}
          onChange={(event) => set({ randomizeAnswers: event.currentTarget.checked })}
        />
        <Switch
          label={t("quiz.backNavigation")}
          checked={values.allowBackNavigation}
          onChange={(event) => set({ allowBackNavigation: event.currentTarget.checked })}
        />
        <Switch
          label={t("quiz.requiredForCompletion")}
          checked={values.requiredForCompletion}
          onChange={(event) => set({ requiredForCompletion: event.currentTarget.checked })}
        />
        {change.error && <ApiErrorAlert error={change.error} />}
        <Group gap="sm">
          <Button type="submit" loading={change.isPending}>
            {t("quiz.saveSettings")}
          </Button>
          {saved && (
            <Text size="sm" role="status">
              {t("quiz.settingsSaved")}
            </Text>
          )}
        </Group>
      </Stack>
    </form>
  );
}
