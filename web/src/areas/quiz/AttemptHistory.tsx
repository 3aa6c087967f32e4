import { Anchor, Badge, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { AttemptSummary } from "../../api/quiz";
import { useFormat } from "../../i18n/format";

/** What became of an attempt, in one word: open, waiting for a grader, passed, not passed. */
function statusOf(a: AttemptSummary): { key: string; color: string } {
  if (a.status === "in-progress") return { key: "inProgress", color: "blue.9" };
  if (a.pendingManual > 0) return { key: "pending", color: "blue.9" };
  if (a.passed === true) return { key: "passed", color: "teal.9" };
  if (a.passed === false) return { key: "notPassed", color: "red.9" };
  return { key: "submitted", color: "gray.7" };
}

/** The learner's attempts at a quiz, newest first, each linking to its page. */
export function AttemptHistory({ attempts }: { attempts: AttemptSummary[] }) {
  const { t } = useTranslation("quiz");
  const format = useFormat();
  const newestFirst = [...attempts].sort((a, b) => b.attemptNumber - a.attemptNumber);
  return (
    <Stack gap="sm" component="section" aria-labelledby="quiz-attempts">
      <Title order={2} size="h3" id="quiz-attempts">
        {t("quiz.attemptsTitle")}
      </Title>
      {newestFirst.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("quiz.noAttempts")}
        </Text>
      ) : (
        <Stack
          gap="xs"
          component="ul"
          aria-label={t("quiz.attemptsTitle")}
          style={{ listStyle: "none", padding: 0, margin: 0 }}
        >
          {newestFirst.map((a) => {
            const status = statusOf(a);
            return (
              <Paper key={a.id} component="li" withBorder p="sm" radius="md">
                <Group justify="space-between" gap="xs">
                  <Stack gap={2}>
                    <Anchor component={Link} to={`/attempts/${a.id}`} fw={600}>
                      {t("quiz.attemptLink", { number: a.attemptNumber })}
                    </Anchor>
                    <Text size="sm" c="dimmed">
                      {a.submittedAt
                        ? t("quiz.submittedOn", { date: format.dateTime(a.submittedAt) })
                        : t("quiz.startedOn", { date: format.dateTime(a.startedAt) })}
                      {a.endReason === "time-expired" ? ` · ${t("quiz.timeExpired")}` : ""}
                    </Text>
                  </Stack>
                  <Group gap="xs">
                    {a.score !== null && <Text fw={600}>{format.percent(a.score)}</Text>}
                    <Badge color={status.color} variant="outline">
                      {t(`quiz.status.${status.key}`)}
                    </Badge>
                  </Group>
                </Group>
              </Paper>
            );
          })}
        </Stack>
      )}
    </Stack>
  );
}
