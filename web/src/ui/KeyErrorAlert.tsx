import { Alert } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/errors";
import { ApiErrorAlert } from "./ApiErrorAlert";

/**
 * The error of a security-key step: the server's (an ApiError), or the browser's prompt that was
 * cancelled or timed out (anything else), which has no request id and no code.
 */
export function KeyErrorAlert({ error, title }: { error: unknown; title: string }) {
  const { t } = useTranslation("security");
  if (error instanceof ApiError) return <ApiErrorAlert error={error} title={title} />;
  return (
    <Alert color="red" role="alert" variant="light" title={title}>
      {t("keys.browserError")}
    </Alert>
  );
}
