import { Button, Stack } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useDownloadTranscript } from "../../api/certificates";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";

/** Downloads the person's transcript (every course, status, dates, progress, time) as CSV. */
export function TranscriptButton() {
  const { t } = useTranslation("certificates");
  const download = useDownloadTranscript();
  return (
    <Stack gap="xs" align="flex-start">
      <Button variant="default" onClick={() => download.mutate()} loading={download.isPending}>
        {t("mine.transcript")}
      </Button>
      {download.isError && <ApiErrorAlert error={download.error} />}
    </Stack>
  );
}
