import { Button, Checkbox, Group, Stack, Table, Text, Title, VisuallyHidden } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type DeadLetter,
  useDeadLetters,
  useDiscardDeadLetter,
  useRetryDeadLetters,
} from "../../api/integrations";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { PagedList } from "../../ui/PagedList";

/** Open dead letters: retried all at once or as selected, or discarded one by one. */
export function DeadLettersSection({ integrationId }: { integrationId: string }) {
  const { t } = useTranslation("integrations");
  const me = useSignedInMe();
  const format = useFormat();
  const [page, setPage] = useState(1);
  const letters = useDeadLetters(me.user.id, integrationId, page);
  const retry = useRetryDeadLetters(me.user.id, integrationId);
  const discard = useDiscardDeadLetter(me.user.id, integrationId);
  const [selected, setSelected] = useState<string[]>([]);
  const [asking, setAsking] = useState<DeadLetter | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const hasOpen = (letters.data?.items.length ?? 0) > 0;
  const runRetry = (ids: string[] | null) => {
    setDone(null);
    retry.mutate(ids, {
      onSuccess: () => {
        setSelected([]);
        setDone(t("deadLetters.retried"));
      },
    });
  };
  return (
    <Stack gap="sm" component="section" aria-labelledby="dead-heading">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={2} size="h3" id="dead-heading">
          {t("deadLetters.heading")}
        </Title>
        {hasOpen && (
          <Group gap="xs">
            <Button
              size="xs"
              variant="default"
              disabled={selected.length === 0 || retry.isPending}
              onClick={() => runRetry(selected)}
            >
              {t("deadLetters.retrySelected")}
            </Button>
            <Button size="xs" loading={retry.isPending} onClick={() => runRetry(null)}>
              {t("deadLetters.retryAll")}
            </Button>
          </Group>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        {t("deadLetters.intro")}
      </Text>
      <Text size="sm" role="status" aria-live="polite">
        {done ?? ""}
      </Text>
      {retry.error && <ApiErrorAlert error={retry.error} />}
      {discard.error && <ApiErrorAlert error={discard.error} />}
      <PagedList
        query={letters}
        page={page}
        onPage={setPage}
        empty={{
          title: t("deadLetters.emptyTitle"),
          reason: t("deadLetters.emptyReason"),
          headingLevel: 3,
        }}
      >
        {(items: DeadLetter[]) => (
          <Table.ScrollContainer minWidth={0}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={40}>
                    <VisuallyHidden>{t("deadLetters.retrySelected")}</VisuallyHidden>
                  </Table.Th>
                  <Table.Th>{t("run.externalId")}</Table.Th>
                  <Table.Th>{t("deadLetters.error")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("deadLetters.attempts")}</Table.Th>
                  <Table.Th>{t("actions")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((letter) => (
                  <Table.Tr key={letter.id}>
                    <Table.Td>
                      <Checkbox
                        aria-label={t("deadLetters.select", { id: letter.externalId })}
                        checked={selected.includes(letter.id)}
                        onChange={(e) => {
                          const on = e.currentTarget.checked;
                          setSelected((s) =>
                            on ? [...s, letter.id] : s.filter((id) => id !== letter.id),
                          );
                        }}
                      />
                    </Table.Td>
                    <Table.Td style={{ overflowWrap: "anywhere" }}>
                      {t(`run.entityName.${letter.entity}`)} {letter.externalId}
                      <Text size="xs" c="dimmed">
                        {format.dateTime(letter.updatedAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td style={{ overflowWrap: "anywhere" }}>
                      <Text size="sm">{letter.error}</Text>
                    </Table.Td>
                    <Table.Td visibleFrom="sm">{format.number(letter.attempts)}</Table.Td>
                    <Table.Td>
                      <Button size="xs" variant="default" onClick={() => setAsking(letter)}>
                        {t("deadLetters.discard")}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </PagedList>
      {asking && (
        <ConfirmDialog
          title={t("deadLetters.discardTitle", { id: asking.externalId })}
          text={t("deadLetters.discardText")}
          confirm={t("deadLetters.discard")}
          busy={discard.isPending}
          onClose={() => setAsking(null)}
          onConfirm={() =>
            discard.mutate(asking.id, {
              onSuccess: () => {
                setAsking(null);
                setDone(t("deadLetters.discarded"));
              },
              onError: () => setAsking(null),
            })
          }
        />
      )}
    </Stack>
  );
}
