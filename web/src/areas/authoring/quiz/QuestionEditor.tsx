import {
  ActionIcon,
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  Radio,
  Select,
  Stack,
  Switch,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type QuizQuestion, useQuizChange } from "../../../api/quizAuthoring";
import { useSignedInMe } from "../../../app/RequireAuth";
import { ApiErrorAlert } from "../../../ui/ApiErrorAlert";
import {
  blankQuestion,
  type Draft,
  markedBlanks,
  nextId,
  QUESTION_TYPES,
  type QuestionType,
  toDefinition,
} from "./questionDraft";

interface Option {
  id: string;
  text: string;
  correct: boolean;
  feedback?: string;
}
interface TextRule {
  accepted: string[];
  caseSensitive?: boolean;
}
interface Pair {
  left: { id: string; text: string };
  right: { id: string; text: string };
}
interface Criterion {
  description: string;
  points: number;
  keywords?: string[];
}

/**
 * Writes one quiz question of any type, new or in place: its text, points, explanation and
 * hints, and by type the options and which are right (with feedback), the accepted answers,
 * the blanks, the pairs to match (and distractors), an essay's length and rubric, a rating
 * scale's range. The server checks the rules (one right option, a rule per blank …) and its
 * refusal shows in the dialog.
 */
export function QuestionEditor({
  courseId,
  quizId,
  question,
  onClose,
}: {
  courseId: string;
  quizId: string;
  question: QuizQuestion | null;
  onClose: () => void;
}) {
  const { t } = useTranslation("authoring");
  const me = useSignedInMe();
  const change = useQuizChange(me.user.id, courseId, quizId);
  const [draft, setDraft] = useState<Draft>(
    () => (question?.question as Draft | undefined) ?? blankQuestion("multiple-choice"),
  );
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }) as Draft);
  const options = (draft.options as Option[] | undefined) ?? [];
  const setOption = (i: number, patch: Partial<Option>) =>
    set({ options: options.map((o, k) => (k === i ? { ...o, ...patch } : o)) });
  const hints = (draft.hints as string[] | undefined) ?? [];
  return (
    <Modal
      opened
      onClose={onClose}
      size="xl"
      title={question ? t("quiz.editQuestion") : t("quiz.newQuestion")}
      closeButtonProps={{ "aria-label": t("common:confirm.cancel") }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const definition = toDefinition(draft);
          change.mutate(
            question
              ? { kind: "editQuestion", questionId: question.id, question: definition }
              : { kind: "addQuestion", question: definition },
            { onSuccess: onClose },
          );
        }}
      >
        <Stack gap="sm">
          <Select
            label={t("quiz.questionType")}
            data={QUESTION_TYPES.map((type) => ({
              value: type,
              label: t(`questionTypes.${type}`),
            }))}
            value={draft.type}
            allowDeselect={false}
            disabled={!!question}
            onChange={(value) =>
              value && setDraft({ ...blankQuestion(value as QuestionType), text: draft.text })
            }
            maw={320}
          />
          <Textarea
            label={t("quiz.questionText")}
            description={
              draft.type === "fill-blank"
                ? t("quiz.blankHint", { first: "{{1}}", second: "{{2}}" })
                : undefined
            }
            required
            autosize
            minRows={2}
            maxLength={20_000}
            value={draft.text}
            onChange={(event) => set({ text: event.currentTarget.value })}
            data-autofocus
          />
          {draft.type !== "rating-scale" && draft.type !== "essay" && (
            <NumberInput
              label={t("quiz.points")}
              min={0}
              max={1000}
              decimalScale={2}
              value={draft.points as number}
              onChange={(value) => set({ points: Number(value) || 0 })}
              maw={160}
            />
          )}

          {(draft.type === "multiple-choice" || draft.type === "multiple-select") && (
            <Stack gap="xs">
              <Title order={3} size="h5">
                {draft.type === "multiple-choice" ? t("quiz.optionsOne") : t("quiz.optionsMany")}
              </Title>
              {draft.type === "multiple-choice" ? (
                <Radio.Group
                  label={t("quiz.rightOption")}
                  value={options.find((o) => o.correct)?.id ?? ""}
                  onChange={(id) =>
                    set({ options: options.map((o) => ({ ...o, correct: o.id === id })) })
                  }
                >
                  <Stack gap="xs" mt={4}>
                    {options.map((o, i) => (
                      <OptionRow
                        key={o.id}
                        index={i}
                        option={o}
                        marker={
                          <Radio value={o.id} aria-label={t("quiz.markRight", { n: i + 1 })} />
                        }
                        onChange={(patch) => setOption(i, patch)}
                        onRemove={
                          options.length > 2
                            ? () => set({ options: options.filter((_, k) => k !== i) })
                            : undefined
                        }
                      />
                    ))}
                  </Stack>
                </Radio.Group>
              ) : (
                options.map((o, i) => (
                  <OptionRow
                    key={o.id}
                    index={i}
                    option={o}
                    marker={
                      <Checkbox
                        checked={o.correct}
                        onChange={(event) => setOption(i, { correct: event.currentTarget.checked })}
                        aria-label={t("quiz.markRight", { n: i + 1 })}
                      />
                    }
                    onChange={(patch) => setOption(i, patch)}
                    onRemove={
                      options.length > 2
                        ? () => set({ options: options.filter((_, k) => k !== i) })
                        : undefined
                    }
                  />
                ))
              )}
              {options.length < 20 && (
                <Button
                  variant="light"
                  size="xs"
                  w="fit-content"
                  onClick={() =>
                    set({
                      options: [
                        ...options,
                        { id: nextId(options.map((o) => o.id)), text: "", correct: false },
                      ],
                    })
                  }
                >
                  {t("quiz.addOption")}
                </Button>
              )}
            </Stack>
          )}

          {draft.type === "true-false" && (
            <Radio.Group
              label={t("quiz.rightAnswer")}
              value={draft.correct ? "true" : "false"}
              onChange={(value) => set({ correct: value === "true" })}
            >
              <Group gap="md" mt={4}>
                <Radio value="true" label={t("quiz.true")} />
                <Radio value="false" label={t("quiz.false")} />
              </Group>
            </Radio.Group>
          )}

          {draft.type === "short-answer" && (
            <TextRuleFields
              label={t("quiz.accepted")}
              rule={draft.answer as TextRule}
              onChange={(answer) => set({ answer })}
            />
          )}

          {draft.type === "fill-blank" && (
            <Stack gap="xs">
              <Text size="sm" c="dimmed">
                {t("quiz.blanksMarked", { count: markedBlanks(draft.text).length })}
              </Text>
              {((draft.blanks as TextRule[] | undefined) ?? []).map((rule, i, all) => (
                <TextRuleFields
                  // biome-ignore lint/suspicious/noArrayIndexKey: blanks are numbered by place
                  key={i}
                  label={t("quiz.blankAccepted", { n: i + 1 })}
                  rule={rule}
                  onChange={(next) => set({ blanks: all.map((r, k) => (k === i ? next : r)) })}
                />
              ))}
              <Group gap="xs">
                <Button
                  variant="light"
                  size="xs"
                  onClick={() =>
                    set({ blanks: [...((draft.blanks as TextRule[]) ?? []), { accepted: [] }] })
                  }
                >
                  {t("quiz.addBlank")}
                </Button>
                {((draft.blanks as TextRule[]) ?? []).length > 1 && (
                  <Button
                    variant="default"
                    size="xs"
                    onClick={() => set({ blanks: (draft.blanks as TextRule[]).slice(0, -1) })}
                  >
                    {t("quiz.removeBlank")}
                  </Button>
                )}
              </Group>
            </Stack>
          )}

          {draft.type === "matching" && (
            <MatchingFields
              pairs={draft.pairs as Pair[]}
              distractors={(draft.distractors as Array<{ id: string; text: string }>) ?? []}
              onChange={(patch) => set(patch)}
            />
          )}

          {draft.type === "essay" && <EssayFields draft={draft} onChange={(patch) => set(patch)} />}

          {draft.type === "rating-scale" && (
            <Group gap="sm">
              <NumberInput
                label={t("quiz.scaleMin")}
                min={0}
                max={10}
                allowDecimal={false}
                value={draft.min as number}
                onChange={(value) => set({ min: Number(value) })}
                w={140}
              />
              <NumberInput
                label={t("quiz.scaleMax")}
                min={1}
                max={10}
                allowDecimal={false}
                value={draft.max as number}
                onChange={(value) => set({ max: Number(value) })}
                w={140}
              />
            </Group>
          )}

          <Textarea
            label={t("quiz.explanation")}
            description={t("quiz.explanationHint")}
            autosize
            minRows={2}
            maxLength={5000}
            value={(draft.explanation as string | undefined) ?? ""}
            onChange={(event) => set({ explanation: event.currentTarget.value })}
          />
          <TagsInput
            label={t("quiz.hints")}
            description={t("quiz.hintsHint")}
            maxTags={10}
            value={hints}
            onChange={(value) => set({ hints: value })}
          />
          {change.error && <ApiErrorAlert error={change.error} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t("common:confirm.cancel")}
            </Button>
            <Button type="submit" loading={change.isPending}>
              {question ? t("quiz.saveQuestion") : t("quiz.addQuestion")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function OptionRow({
  index,
  option,
  marker,
  onChange,
  onRemove,
}: {
  index: number;
  option: Option;
  marker: React.ReactNode;
  onChange: (patch: Partial<Option>) => void;
  onRemove?: () => void;
}) {
  const { t } = useTranslation("authoring");
  return (
    <Group gap="xs" align="flex-start" wrap="nowrap">
      <div style={{ paddingTop: 30 }}>{marker}</div>
      <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
        <TextInput
          label={t("quiz.option", { n: index + 1 })}
          required
          maxLength={2000}
          value={option.text}
          onChange={(event) => onChange({ text: event.currentTarget.value })}
        />
        <TextInput
          label={t("quiz.optionFeedback", { n: index + 1 })}
          maxLength={2000}
          value={option.feedback ?? ""}
          onChange={(event) => onChange({ feedback: event.currentTarget.value || undefined })}
          size="xs"
        />
      </Stack>
      {onRemove && (
        <ActionIcon
          variant="subtle"
          color="red.9"
          mt={30}
          aria-label={t("quiz.removeOption", { n: index + 1 })}
          onClick={onRemove}
        >
          <span aria-hidden="true">×</span>
        </ActionIcon>
      )}
    </Group>
  );
}

function TextRuleFields({
  label,
  rule,
  onChange,
}: {
  label: string;
  rule: TextRule;
  onChange: (rule: TextRule) => void;
}) {
  const { t } = useTranslation("authoring");
  return (
    <Stack gap={4}>
      <TagsInput
        label={label}
        description={t("quiz.acceptedHint")}
        required
        value={rule.accepted}
        onChange={(accepted) => onChange({ ...rule, accepted })}
      />
      <Switch
        size="xs"
        label={t("quiz.caseSensitive")}
        checked={rule.caseSensitive ?? false}
        onChange={(event) => onChange({ ...rule, caseSensitive: event.currentTarget.checked })}
      />
    </Stack>
  );
}

function MatchingFields({
  pairs,
  distractors,
  onChange,
}: {
  pairs: Pair[];
  distractors: Array<{ id: string; text: string }>;
  onChange: (patch: Partial<Draft>) => void;
}) {
  const { t } = useTranslation("authoring");
  const setPair = (i: number, side: "left" | "right", text: string) =>
    onChange({
      pairs: pairs.map((p, k) => (k === i ? { ...p, [side]: { ...p[side], text } } : p)),
    });
  return (
    <Stack gap="xs">
      {pairs.map((pair, i) => (
        <Group key={pair.left.id} gap="xs" grow>
          <TextInput
            label={t("quiz.pairLeft", { n: i + 1 })}
            required
            value={pair.left.text}
            onChange={(event) => setPair(i, "left", event.currentTarget.value)}
          />
          <TextInput
            label={t("quiz.pairRight", { n: i + 1 })}
            required
            value={pair.right.text}
            onChange={(event) => setPair(i, "right", event.currentTarget.value)}
          />
        </Group>
      ))}
      <Button
        variant="light"
        size="xs"
        w="fit-content"
        onClick={() => {
          const n = pairs.length + 1;
          onChange({
            pairs: [
              ...pairs,
              { left: { id: `l${n}`, text: "" }, right: { id: `r${n}`, text: "" } },
            ],
          });
        }}
      >
        {t("quiz.addPair")}
      </Button>
      <TagsInput
        label={t("quiz.distractors")}
        description={t("quiz.distractorsHint")}
        value={distractors.map((d) => d.text)}
        onChange={(texts) =>
          onChange({ distractors: texts.map((text, i) => ({ id: `d${i + 1}`, text })) })
        }
      />
    </Stack>
  );
}

function EssayFields({
  draft,
  onChange,
}: {
  draft: Draft;
  onChange: (patch: Partial<Draft>) => void;
}) {
  const { t } = useTranslation("authoring");
  const rubric = (draft.rubric as Criterion[] | undefined) ?? [];
  const setCriterion = (i: number, patch: Partial<Criterion>) =>
    onChange({ rubric: rubric.map((c, k) => (k === i ? { ...c, ...patch } : c)) });
  return (
    <Stack gap="xs">
      <Group gap="sm">
        <NumberInput
          label={t("quiz.minWords")}
          min={0}
          allowDecimal={false}
          value={(draft.minWords as number | undefined) ?? ""}
          onChange={(value) => onChange({ minWords: value === "" ? undefined : Number(value) })}
          w={140}
        />
        <NumberInput
          label={t("quiz.maxWords")}
          min={1}
          allowDecimal={false}
          value={(draft.maxWords as number | undefined) ?? ""}
          onChange={(value) => onChange({ maxWords: value === "" ? undefined : Number(value) })}
          w={140}
        />
        {rubric.length === 0 && (
          <NumberInput
            label={t("quiz.points")}
            min={0}
            max={1000}
            value={draft.points as number}
            onChange={(value) => onChange({ points: Number(value) || 0 })}
            w={140}
          />
        )}
      </Group>
      <Title order={3} size="h5">
        {t("quiz.rubric")}
      </Title>
      <Text size="sm" c="dimmed">
        {t("quiz.rubricHint")}
      </Text>
      {rubric.map((c, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: criteria are numbered by place
        <Group key={i} gap="xs" align="flex-end" wrap="wrap">
          <TextInput
            label={t("quiz.criterion", { n: i + 1 })}
            required
            maxLength={500}
            value={c.description}
            onChange={(event) => setCriterion(i, { description: event.currentTarget.value })}
            style={{ flex: 2, minWidth: 200 }}
          />
          <NumberInput
            label={t("quiz.criterionPoints", { n: i + 1 })}
            min={0}
            max={1000}
            value={c.points}
            onChange={(value) => setCriterion(i, { points: Number(value) || 0 })}
            w={120}
          />
          <TagsInput
            label={t("quiz.keywords", { n: i + 1 })}
            value={c.keywords ?? []}
            onChange={(keywords) => setCriterion(i, { keywords })}
            style={{ flex: 2, minWidth: 200 }}
          />
        </Group>
      ))}
      <Button
        variant="light"
        size="xs"
        w="fit-content"
        onClick={() =>
          onChange({ rubric: [...rubric, { description: "", points: 1, keywords: [] }] })
        }
      >
        {t("quiz.addCriterion")}
      </Button>
    </Stack>
  );
}
