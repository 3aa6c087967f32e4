import { Button, FileButton, Group, Progress, Stack, Text, VisuallyHidden } from "@mantine/core";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { type CourseFile, uploadCourseFile } from "../../api/authoring";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";

/**
 * Uploads one file for a course's lessons with a progress bar (announced as it grows), a
 * cancel button while it runs, and the server's refusal (type, size) when there is one.
 */
export function FileUpload({
  courseId,
  accept,
  label,
  onUploaded,
}: {
  courseId: string;
  /** What the file picker offers, e.g. "video/*". */
  accept: string;
  label: string;
  onUploaded: (file: CourseFile) => void;
}) {
  const { t } = useTranslation("authoring");
  const [percent, setPercent] = useState<number | null>(null);
  const [name, setName] = useState("");
  const [error, setError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);
  const start = (file: File | null) => {
    if (!file) return;
    const controller = new AbortController();
    abort.current = controller;
    setError(null);
    setName(file.name);
    setPercent(0);
    uploadCourseFile(courseId, file, setPercent, controller.signal).then(
      (stored) => {
        setPercent(null);
        onUploaded(stored);
      },
      (failure: unknown) => {
        setPercent(null);
        if (!(failure instanceof DOMException && failure.name === "AbortError")) setError(failure);
      },
    );
  };
  return (
    <Stack gap="xs">
      {percent === null ? (
        <FileButton onChange={start} accept={accept}>
          {(props) => (
            <Button {...props} variant="light" w="fit-content">
              {label}
            </Button>
          )}
        </FileButton>
      ) : (
        <Stack gap={4}>
          <Progress
            value={percent}
            aria-label={t("upload.progressLabel", { name })}
            size="lg"
            animated
          />
          <Group gap="sm">
            <Text size="sm" aria-hidden="true">
              {t("upload.progress", { name, percent })}
            </Text>
            {/* Screen readers hear it in quarters, not at every step of the bar. */}
            <VisuallyHidden role="status">
              {t("upload.progress", { name, percent: Math.floor(percent / 25) * 25 })}
            </VisuallyHidden>
            <Button size="xs" variant="subtle" onClick={() => abort.current?.abort()}>
              {t("upload.cancel")}
            </Button>
          </Group>
        </Stack>
      )}
      {error !== null && <ApiErrorAlert error={error} title={t("upload.failed")} />}
    </Stack>
  );
}
