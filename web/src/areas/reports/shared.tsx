import { Anchor, Badge, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ApiError } from "../../api/errors";
import type { ReportJobStatus } from "../../api/reports";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";

/** A report or schedule the person cannot open: unknown (or not theirs), or refused. */
export function refusalOf(error: unknown, field: string): "notFound" | "forbidden" | null {
  if (!(error instanceof ApiError)) return null;
  // A 400 on a page addressed by one id is that id (`field`) not being one.
  if (error.status === 404 || (error.status === 400 && (!error.field || error.field === field)))
    return "notFound";
  if (error.status === 403) return "forbidden";
  return null;
}

/** The page shown instead of a report or schedule the person may not open. */
export function RefusalPage({ kind, title }: { kind: "notFound" | "forbidden"; title: string }) {
  // The page's title is set by the page that shows this.
  const { t } = useTranslation("reports");
  return (
    <Stack gap="md" maw={560}>
      <Title order={1}>{title}</Title>
      <Text>{t(`refusal.${kind}`)}</Text>
      <Anchor component={Link} to="/reports/jobs">
        {t("refusal.back")}
      </Anchor>
    </Stack>
  );
}

const STATUS_COLOR: Record<ReportJobStatus, string> = {
  pending: "gray.8",
  queued: "gray.8",
  processing: "blue.9",
  ready: "teal.9",
  failed: "red.9",
  cancelled: "orange.9",
  expired: "gray.8",
};

/** A job's status as a badge whose text says it (colour is only a second cue). */
export function JobStatusBadge({ status }: { status: ReportJobStatus }) {
  const { t } = useTranslation("reports");
  return (
    <Badge color={STATUS_COLOR[status]} variant="filled" size="lg">
      {t(`status.${status}`)}
    </Badge>
  );
}

/** A mutation one of a row of action buttons runs. */
interface Action {
  isPending: boolean;
  error: Error | null;
  reset(): void;
}

/**
 * A row of action buttons, each running one of `actions`: all wait while one runs (`busy`),
 * and the last one's outcome shows, what it did (`setDone`) or its error. `reset` clears
 * the previous outcome before the next action.
 */
export function useActionRow(actions: Action[]) {
  const [done, setDone] = useState<string | null>(null);
  return {
    done,
    setDone,
    busy: actions.some((a) => a.isPending),
    error: actions.find((a) => a.error)?.error ?? null,
    reset: () => {
      setDone(null);
      for (const a of actions) a.reset();
    },
  };
}

/** Under a row of actions: what the last one did (announced), or its error. */
export function ActionOutcome({ done, error }: { done: string | null; error: Error | null }) {
  return (
    <>
      <Text size="sm" role="status" aria-live="polite">
        {done ?? ""}
      </Text>
      {error && <ApiErrorAlert error={error} />}
    </>
  );
}
