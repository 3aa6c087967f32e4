import { Button, Group, Modal, Paper, Stack, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useBank } from "../../../api/questionBank";
import { useQuizChange } from "../../../api/quizAuthoring";
import { useSignedInMe } from "../../../app/RequireAuth";
import { ApiErrorAlert } from "../../../ui/ApiErrorAlert";
import { PageState } from "../../../ui/PageState";

/**
 * Copies questions from the organization's bank into a quiz: the bank searched by words, each
 * question with its type and a button that copies it (the copy can then be edited here without
 * changing the bank's original).
 */
export function BankPicker({
  courseId,
  quizId,
  orgId,
  onClose,
}: {
  courseId: string;
  quizId: string;
  orgId: string;
  onClose: () => void;
}) {
  const { t } = useTranslation("authoring");
  const me = useSignedInMe();
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const bank = useBank(me.user.id, orgId, {
    page: 1,
    limit: 20,
    sort: "most-used",
    ...(debounced ? { search: debounced } : {}),
  });
  const copy = useQuizChange(me.user.id, courseId, quizId);
  const [copied, setCopied] = useState<string[]>([]);
  return (
    <Modal
      opened
      onClose={onClose}
      size="lg"
      title={t("bank.pickTitle")}
      closeButtonProps={{ "aria-label": t("bank.done") }}
    >
      <Stack gap="sm">
        <TextInput
          label={t("bank.search")}
          type="search"
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          data-autofocus
        />
        {copy.error && <ApiErrorAlert error={copy.error} />}
        <PageState
          query={bank}
          isEmpty={(data) => data.items.length === 0}
          empty={<Text>{t("bank.nothingFound")}</Text>}
        >
          {(data) => (
            <Stack gap="xs" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
              {data.items.map((q) => (
                <Paper key={q.id} component="li" withBorder p="sm" radius="sm">
                  <Group justify="space-between" wrap="nowrap" gap="sm">
                    <Stack gap={2} style={{ minWidth: 0 }}>
                      <Text fw={500} style={{ overflowWrap: "anywhere" }}>
                        {q.title}
                      </Text>
                      <Text size="sm" c="dimmed">
                        {t(`questionTypes.${q.type}`)}
                      </Text>
                    </Stack>
                    {copied.includes(q.id) ? (
                      <Text size="sm" role="status">
                        {t("bank.copied")}
                      </Text>
                    ) : (
                      <Button
                        size="xs"
                        variant="light"
                        loading={
                          copy.isPending &&
                          copy.variables?.kind === "copyFromBank" &&
                          copy.variables.bankQuestionId === q.id
                        }
                        aria-label={t("bank.copyNamed", { title: q.title })}
                        onClick={() =>
                          copy.mutate(
                            { kind: "copyFromBank", bankQuestionId: q.id },
                            { onSuccess: () => setCopied((ids) => [...ids, q.id]) },
                          )
                        }
                      >
                        {t("bank.copy")}
                      </Button>
                    )}
                  </Group>
                </Paper>
              ))}
            </Stack>
          )}
        </PageState>
        <Group justify="flex-end">
          <Button onClick={onClose}>{t("bank.done")}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
