import { Anchor, Button, Group, List, Modal, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";

/**
 * Asks before submitting: which questions have no answer and which are marked for review,
 * since a submitted attempt cannot change.
 */
export function SubmitDialog({
  opened,
  onClose,
  onConfirm,
  onGoTo,
  focusAfter,
  unanswered,
  marked,
  submitting,
  error,
}: {
  opened: boolean;
  onClose: () => void;
  onConfirm: () => void;
  /** Closes the dialog and takes the person to that question. */
  onGoTo: (questionId: string) => void;
  /**
   * Where focus goes once the dialog has closed; the button that opened it when null. Reset it
   * only when opening again: a change while closed would make the dialog return focus late.
   */
  focusAfter: string | null;
  unanswered: Array<{ number: number; id: string }>;
  marked: number[];
  submitting: boolean;
  error: unknown;
}) {
  const { t } = useTranslation("quiz");
  return (
    <Modal
      opened={opened}
      onClose={submitting ? () => {} : onClose}
      title={t("submit.title")}
      closeOnClickOutside={!submitting}
      closeOnEscape={!submitting}
      withCloseButton={!submitting}
      closeButtonProps={{ "aria-label": t("submit.close") }}
      returnFocus={focusAfter === null}
      onExitTransitionEnd={() => {
        if (focusAfter) document.getElementById(focusAfter)?.focus();
      }}
    >
      <Stack gap="sm">
        {unanswered.length === 0 ? (
          <Text size="sm">{t("submit.allAnswered")}</Text>
        ) : (
          <Stack gap={4}>
            <Text size="sm" fw={600}>
              {t("submit.unanswered", { count: unanswered.length })}
            </Text>
            <List size="sm" aria-label={t("submit.unansweredList")}>
              {unanswered.map(({ number, id }) => (
                <List.Item key={id}>
                  <Anchor component="button" type="button" size="sm" onClick={() => onGoTo(id)}>
                    {t("take.questionNumber", { number })}
                  </Anchor>
                </List.Item>
              ))}
            </List>
          </Stack>
        )}
        {marked.length > 0 && (
          <Text size="sm">
            {t("submit.marked", {
              count: marked.length,
              numbers: marked.join(", "),
            })}
          </Text>
        )}
        <Text size="sm">{t("submit.final")}</Text>
        {error ? <ApiErrorAlert error={error} /> : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={submitting}>
            {t("submit.cancel")}
          </Button>
          <Button onClick={onConfirm} loading={submitting}>
            {t("submit.confirm")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
