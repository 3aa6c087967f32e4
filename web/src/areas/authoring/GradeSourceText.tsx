import { Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { type GradeFacts, gradeSource, gradeSourceText } from "./gradeSource";

/** How an answer's grade was given, in words: automatically, by the AI grader, by a person. */
export function GradeSourceText({ facts }: { facts: GradeFacts }) {
  const { t } = useTranslation("authoring");
  const { key, values } = gradeSourceText(gradeSource(facts));
  return (
    <Text size="sm" c="dimmed">
      {t(`gradebook.how.${key}`, values)}
    </Text>
  );
}
