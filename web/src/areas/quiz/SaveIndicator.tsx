import { Button, Group, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../i18n/format";
import { errorMessage } from "../../ui/ApiErrorAlert";
import type { SaveState } from "./useAutosave";

/** Where autosave stands: "Saving…", "Saved at 10:42", or "Not saved" with the reason and a retry. */
export function SaveIndicator({ state, onRetry }: { state: SaveState; onRetry: () => void }) {
  const { t } = useTranslation("quiz");
  const format = useFormat();
  return (
    <Group gap="xs" wrap="wrap">
      <Text size="sm" role="status" c={state.kind === "error" ? "red.9" : "dimmed"} fw={500}>
        {state.kind === "saving" && t("save.saving")}
        {state.kind === "saved" && t("save.saved", { time: format.time(state.at) })}
        {state.kind === "idle" && t("save.idle")}
        {state.kind === "error" && `${t("save.failed")} ${errorMessage(t, state.error)}`}
      </Text>
      {state.kind === "error" && (
        <Button size="compact-sm" variant="outline" color="red" onClick={onRetry}>
          {t("save.retry")}
        </Button>
      )}
    </Group>
  );
}
