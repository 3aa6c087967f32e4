import { Alert, Badge, Button, Group, Paper, Stack, Text } from "@mantine/core";
import type { UseMutationResult } from "@tanstack/react-query";
import { useRef } from "react";
import { useTranslation } from "react-i18next";
import type { CourseProgress, Lesson, LessonProgress } from "../../api/player";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { useFocusKeeper } from "../../ui/useFocusKeeper";
import { hostedVideoEmbed } from "./hostedVideo";

type Completion = UseMutationResult<
  {
    progress: LessonProgress;
    moduleCompleted: boolean;
    courseCompleted: boolean;
    unlockedModules: string[];
  },
  Error,
  void
>;

/** Seconds in words: "45 sec" under a minute, else whole minutes rounded up ("3 min"). */
function useSeconds() {
  const { i18n } = useTranslation();
  return (seconds: number) => {
    const unit = seconds < 60 ? "second" : "minute";
    const value = seconds < 60 ? seconds : Math.ceil(seconds / 60);
    return new Intl.NumberFormat(i18n.language, {
      style: "unit",
      unit,
      unitDisplay: "short",
    }).format(value);
  };
}

/**
 * The lesson's completion: its state, the rule it completes by (minimum study time, the end
 * of the media, the session's start, opening the resource) and the "Mark complete" button.
 * The server decides; its refusal (e.g. MIN_TIME_NOT_MET) is shown with its reason.
 */
export function CompletionPanel({
  lesson,
  visit,
  studied,
  blockedBy,
  complete,
  onComplete,
  outline,
}: {
  lesson: Lesson;
  visit: LessonProgress;
  /** Seconds studied so far, counting what the next heartbeat will report. */
  studied: number;
  /** The rule that is not met yet (a live session not started, a resource not opened). */
  blockedBy: "live" | "external" | null;
  complete: Completion;
  onComplete: () => void;
  outline: CourseProgress | undefined;
}) {
  const { t } = useTranslation("player");
  const format = useFormat();
  const seconds = useSeconds();
  const done = visit.status === "completed";
  const required = lesson.minTimeSeconds;
  const media =
    lesson.contentType === "audio" ||
    (lesson.contentType === "video" &&
      !hostedVideoEmbed(lesson.content.provider, String(lesson.content.url ?? "")));
  const result = complete.data;
  const panel = useRef<HTMLDivElement>(null);
  // The button is disabled while the server answers and gone once the lesson is complete:
  // focus goes back to it, or to this panel, which then says the lesson is complete.
  const holdFocus = useFocusKeeper(complete.isPending, panel);
  const unlocked = (result?.unlockedModules ?? [])
    .map((id) => outline?.modules.find((m) => m.id === id)?.title)
    .filter(Boolean)
    .join(", ");
  return (
    <Paper withBorder p="md" radius="md" ref={panel} tabIndex={-1} className="focus-target">
      <Stack gap="sm">
        <Group justify="space-between" gap="sm">
          <Badge
            color={done ? "teal" : "indigo"}
            variant="dot"
            size="lg"
            data-testid="completion-state"
          >
            {done ? t("completion.completed") : t("completion.inProgress")}
          </Badge>
          {done && visit.completedAt && (
            <Text size="sm" c="dimmed">
              {t("completion.completedOn", { date: format.dateTime(visit.completedAt) })}
            </Text>
          )}
        </Group>
        {!done && required > 0 && (
          <Text size="sm">
            {studied >= required
              ? t("completion.minTimeMet")
              : t("completion.minTime", {
                  required: seconds(required),
                  spent: seconds(studied),
                })}
          </Text>
        )}
        {!done && media && <Text size="sm">{t("completion.mediaRule")}</Text>}
        {!done && blockedBy === "live" && <Text size="sm">{t("completion.liveRule")}</Text>}
        {!done && blockedBy === "external" && <Text size="sm">{t("completion.externalRule")}</Text>}
        {!done && (
          <Button
            onClick={() => {
              holdFocus();
              onComplete();
            }}
            loading={complete.isPending}
            disabled={blockedBy !== null}
            w="fit-content"
          >
            {t("completion.markComplete")}
          </Button>
        )}
        {complete.isError && <ApiErrorAlert error={complete.error} />}
        {result && (
          <Alert color="teal" variant="light" role="status">
            <Stack gap={4}>
              <Text size="sm" fw={600}>
                {t("completion.justCompleted")}
              </Text>
              {result.moduleCompleted && <Text size="sm">{t("completion.moduleCompleted")}</Text>}
              {result.courseCompleted && <Text size="sm">{t("completion.courseCompleted")}</Text>}
              {unlocked && <Text size="sm">{t("completion.unlocked", { modules: unlocked })}</Text>}
            </Stack>
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
