import { Alert, Button, Stack, Text } from "@mantine/core";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/errors";

/** The text for an error: `errors:<CODE>` when translated, else the server's message. */
export function errorMessage(t: TFunction, error: unknown): string {
  if (error instanceof ApiError) {
    return t(`errors:${error.code}`, { defaultValue: error.message, ...error.details });
  }
  return t("errors:UNEXPECTED_RESPONSE");
}

/** An API error as an alert: its message, and the request id to quote to support. */
export function ApiErrorAlert({
  error,
  onRetry,
  title,
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  const { t } = useTranslation();
  const requestId = error instanceof ApiError ? error.requestId : null;
  return (
    <Alert color="red" role="alert" title={title ?? t("state.errorTitle")} variant="light">
      <Stack gap="xs">
        <Text size="sm">{errorMessage(t, error)}</Text>
        {requestId && (
          <Text size="xs" c="dimmed">
            {t("state.requestId", { requestId })}
          </Text>
        )}
        {onRetry && (
          <Button size="xs" variant="outline" color="red" onClick={onRetry} w="fit-content">
            {t("state.retry")}
          </Button>
        )}
      </Stack>
    </Alert>
  );
}
