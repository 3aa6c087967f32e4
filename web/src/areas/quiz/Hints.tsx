import { Button, List, Stack } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";

/** A question's hints, shown one at a time when asked for. */
export function Hints({ hints }: { hints: string[] }) {
  const { t } = useTranslation("quiz");
  const [shown, setShown] = useState(0);
  if (hints.length === 0) return null;
  return (
    <Stack gap={4} align="flex-start">
      {shown > 0 && (
        <List size="sm" aria-live="polite" aria-label={t("take.hints")}>
          {hints.slice(0, shown).map((hint) => (
            <List.Item key={hint}>{hint}</List.Item>
          ))}
        </List>
      )}
      {shown < hints.length && (
        <Button variant="subtle" size="compact-sm" onClick={() => setShown(shown + 1)}>
          {t("take.showHint", { number: shown + 1, count: hints.length })}
        </Button>
      )}
    </Stack>
  );
}
