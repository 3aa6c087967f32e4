import {
  Checkbox,
  Fieldset,
  Group,
  NativeSelect,
  Radio,
  Stack,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { AnswerResponse } from "../../api/quiz";
import { blankParts, type LearnerQuestion, wordCount } from "./answers";

interface Props {
  /** Unique per question: ids of the inputs derive from it. */
  id: string;
  question: LearnerQuestion;
  response: AnswerResponse | null;
  onChange: (response: AnswerResponse | null) => void;
  disabled: boolean;
}

/**
 * The control for one question, by its type: radios (one choice, true/false, a rating),
 * checkboxes (several), text inputs (short answer, each blank), a text area (essay) and one
 * select per item to match (operable by keyboard, no dragging). The question's text is the
 * control's label.
 */
export function QuestionInput({ id, question, response, onChange, disabled }: Props) {
  const { t } = useTranslation("quiz");
  const label = <Text style={{ whiteSpace: "pre-line" }}>{question.text}</Text>;
  switch (question.type) {
    case "multiple-choice":
      return (
        <Radio.Group
          label={label}
          value={response?.selected?.[0] ?? null}
          onChange={(value) => onChange({ selected: [value] })}
        >
          <Stack gap="xs" mt="xs">
            {(question.options ?? []).map((option) => (
              <Radio key={option.id} value={option.id} label={option.text} disabled={disabled} />
            ))}
          </Stack>
        </Radio.Group>
      );
    case "multiple-select":
      return (
        <Checkbox.Group
          label={label}
          description={t("take.chooseAll")}
          value={response?.selected ?? []}
          onChange={(selected) => onChange({ selected })}
        >
          <Stack gap="xs" mt="xs">
            {(question.options ?? []).map((option) => (
              <Checkbox key={option.id} value={option.id} label={option.text} disabled={disabled} />
            ))}
          </Stack>
        </Checkbox.Group>
      );
    case "true-false":
      return (
        <Radio.Group
          label={label}
          value={response?.value === undefined ? null : String(response.value)}
          onChange={(value) => onChange({ value: value === "true" })}
        >
          <Group gap="lg" mt="xs">
            <Radio value="true" label={t("take.true")} disabled={disabled} />
            <Radio value="false" label={t("take.false")} disabled={disabled} />
          </Group>
        </Radio.Group>
      );
    case "rating-scale": {
      const min = question.min ?? 1;
      const max = question.max ?? 5;
      const values = Array.from({ length: max - min + 1 }, (_, i) => min + i);
      return (
        <Radio.Group
          label={label}
          value={response?.rating === undefined ? null : String(response.rating)}
          onChange={(value) => onChange({ rating: Number(value) })}
        >
          <Group gap="md" mt="xs">
            {values.map((value) => (
              <Radio
                key={value}
                value={String(value)}
                label={question.labels?.[String(value)] ?? String(value)}
                disabled={disabled}
              />
            ))}
          </Group>
        </Radio.Group>
      );
    }
    case "short-answer":
      return (
        <TextInput
          label={label}
          value={response?.text ?? ""}
          onChange={(event) => onChange({ text: event.currentTarget.value })}
          disabled={disabled}
          maw={480}
        />
      );
    case "essay": {
      const words = wordCount(response?.text ?? "");
      const limits = [
        question.minWords ? t("take.minWords", { count: question.minWords }) : null,
        question.maxWords ? t("take.maxWords", { count: question.maxWords }) : null,
      ].filter(Boolean);
      return (
        <Textarea
          label={label}
          description={[t("take.words", { count: words }), ...limits].join(" · ")}
          value={response?.text ?? ""}
          onChange={(event) => onChange({ text: event.currentTarget.value })}
          disabled={disabled}
          autosize
          minRows={5}
          maxRows={16}
        />
      );
    }
    case "fill-blank": {
      const count = question.blanks ?? 0;
      const blanks = Array.from({ length: count }, (_, i) => response?.blanks?.[i] ?? "");
      const setBlank = (index: number, value: string) => {
        const next = [...blanks];
        next[index] = value;
        onChange({ blanks: next });
      };
      return (
        <Fieldset legend={t("take.fillBlanks")} variant="unstyled" disabled={disabled}>
          <Text component="div" lh={2.4}>
            {blankParts(question.text).map((part, i) =>
              typeof part === "number" ? (
                <TextInput
                  // biome-ignore lint/suspicious/noArrayIndexKey: the parts never move
                  key={`blank-${i}`}
                  id={`${id}-blank-${part}`}
                  aria-label={t("take.blank", { number: part, count })}
                  value={blanks[part - 1] ?? ""}
                  onChange={(event) => setBlank(part - 1, event.currentTarget.value)}
                  w={140}
                  display="inline-block"
                  mx={4}
                />
              ) : (
                // biome-ignore lint/suspicious/noArrayIndexKey: the parts never move
                <span key={`text-${i}`} style={{ whiteSpace: "pre-line" }}>
                  {part}
                </span>
              ),
            )}
          </Text>
        </Fieldset>
      );
    }
    case "matching": {
      const matches = response?.matches ?? {};
      const choices = [
        { value: "", label: t("take.chooseMatch") },
        ...(question.right ?? []).map((r) => ({ value: r.id, label: r.text })),
      ];
      const setMatch = (left: string, right: string) => {
        const next = { ...matches };
        if (right) next[left] = right;
        else delete next[left];
        onChange({ matches: next });
      };
      return (
        <Fieldset legend={label} variant="unstyled" disabled={disabled}>
          <Stack gap="sm">
            {(question.left ?? []).map((left) => (
              <NativeSelect
                key={left.id}
                label={left.text}
                data={choices}
                value={matches[left.id] ?? ""}
                onChange={(event) => setMatch(left.id, event.currentTarget.value)}
                maw={420}
              />
            ))}
          </Stack>
        </Fieldset>
      );
    }
    default:
      return <Text c="dimmed">{t("take.unsupported")}</Text>;
  }
}
