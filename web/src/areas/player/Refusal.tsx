import { Alert, Anchor, Button, Group, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ApiError } from "../../api/errors";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { usePageTitle } from "../../ui/usePageTitle";

export type RefusalKind = "not-found" | "not-enrolled" | "inactive" | "locked";

/** What a refused lesson answer means for the page (never matched on the message). */
export function refusalOf(error: unknown): RefusalKind | null {
  if (!(error instanceof ApiError)) return null;
  // 400: the address holds no lesson id at all.
  if (error.status === 404 || error.status === 400) return "not-found";
  if (error.code === "NOT_ENROLLED") return error.details.status ? "inactive" : "not-enrolled";
  if (error.code === "MODULE_LOCKED") return "locked";
  return null;
}

const TITLES: Record<RefusalKind, string> = {
  "not-found": "refusal.notFoundTitle",
  "not-enrolled": "refusal.notEnrolledTitle",
  inactive: "refusal.inactiveTitle",
  locked: "refusal.lockedTitle",
};

/**
 * A lesson the person may not open, or that does not exist: a heading, why in words, and the
 * way back to the course page (or to My learning when there is no course to go back to).
 */
export function Refusal({
  kind,
  courseId,
  reason,
}: {
  kind: RefusalKind;
  courseId: string;
  /** Overrides the standard explanation (a locked module's own reason, an enrollment's status). */
  reason?: string;
}) {
  const { t } = useTranslation("player");
  const title = t(TITLES[kind]);
  usePageTitle(title);
  const body =
    reason ??
    (kind === "not-found"
      ? t("refusal.notFoundBody")
      : kind === "locked"
        ? t("refusal.lockedBody")
        : t("refusal.notEnrolledBody"));
  return (
    <Stack gap="md" maw={620}>
      <Title order={1}>{title}</Title>
      <Alert color={kind === "not-found" ? "gray" : "yellow"} variant="light" role="status">
        <Text size="sm">{body}</Text>
      </Alert>
      <Group gap="md">
        {kind !== "not-found" && (
          <Button component={Link} to={`/courses/${courseId}`}>
            {t("refusal.toCourse")}
          </Button>
        )}
        <Anchor component={Link} to="/">
          {t("refusal.toMyLearning")}
        </Anchor>
      </Group>
    </Stack>
  );
}

/** Any other failure to load the lesson: the error with its request id and a retry. */
export function PlayerError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  usePageTitle(t("state.errorTitle"));
  return (
    <Stack gap="md" maw={620}>
      <Title order={1}>{t("state.errorTitle")}</Title>
      <ApiErrorAlert error={error} onRetry={onRetry} />
    </Stack>
  );
}
