import { ActionIcon, Card, Group, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Problem, ReportCatalog } from "../../../api/reportBuilder";
import type { Draft } from "./draft";

/** What every section of the builder is given. */
export interface SectionProps {
  draft: Draft;
  change: (update: (draft: Draft) => Draft) => void;
  catalog: ReportCatalog;
  problems: readonly Problem[];
}

/** A section of the report's definition, named by its heading. */
export function Section({
  id,
  title,
  hint,
  children,
}: {
  id: string;
  title: string;
  hint?: string;
  children: ReactNode;
}) {
  return (
    <Card withBorder radius="md" padding="sm" component="section" aria-labelledby={`${id}-heading`}>
      <Stack gap="xs">
        <Title order={2} size="h4" id={`${id}-heading`}>
          {title}
        </Title>
        {hint && (
          <Text size="sm" c="dimmed">
            {hint}
          </Text>
        )}
        {children}
      </Stack>
    </Card>
  );
}

/** The server's problems with one item, right under it. */
export function Problems({ id, messages }: { id?: string; messages: readonly string[] }) {
  if (messages.length === 0) return null;
  return (
    <Stack gap={2} id={id}>
      {messages.map((message) => (
        <Text key={message} size="sm" c="red.9" data-problem>
          {message}
        </Text>
      ))}
    </Stack>
  );
}

/** An item's remove button. */
export function RemoveButton({ name, onClick }: { name: string; onClick: () => void }) {
  const { t } = useTranslation("reportBuilder");
  return (
    <ActionIcon
      variant="outline"
      color="red.9"
      size="sm"
      aria-label={t("remove", { name })}
      onClick={onClick}
    >
      <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
        <path d="M2 2l8 8M10 2l-8 8" stroke="currentColor" strokeWidth="2" />
      </svg>
    </ActionIcon>
  );
}

/** A row of an item: its handle (if any), its fields, its remove button. */
export function ItemRow({
  handle,
  children,
  remove,
}: {
  handle?: ReactNode;
  children: ReactNode;
  remove: ReactNode;
}) {
  return (
    <Group gap="xs" align="flex-start" wrap="nowrap">
      {handle}
      <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
        {children}
      </Stack>
      {remove}
    </Group>
  );
}
