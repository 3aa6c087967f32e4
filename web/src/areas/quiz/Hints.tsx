import { Button, List, Stack } from "@mantine/core";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

/** A question's hints, shown one at a time when asked for. */
export function Hints({ hints }: { hints: string[] }) {
  const { t } = useTranslation("quiz");
  const [shown, setShown] = useState(0);
  const latest = useRef<HTMLLIElement>(null);
  // A hint asked for takes focus, so it is read out, and the button (gone after the last
  // hint) does not leave focus on the page's body.
  useEffect(() => {
    if (shown > 0) latest.current?.focus();
  }, [shown]);
  if (hints.length === 0) return null;
  return (
    <Stack gap={4} align="flex-start">
      {shown > 0 && (
        <List size="sm" aria-label={t("take.hints")}>
          {hints.slice(0, shown).map((hint, i) => (
            <List.Item
              key={hint}
              ref={i === shown - 1 ? latest : undefined}
              tabIndex={i === shown - 1 ? -1 : undefined}
            >
              {hint}
            </List.Item>
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
