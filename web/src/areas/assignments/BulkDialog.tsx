import { Button, Checkbox, Group, List, Modal, Stack, Text, TextInput } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type Assignment,
  assignmentKeys,
  changeEnrollment,
  type EnrollmentChange,
} from "../../api/assignments";
import { useSignedInMe } from "../../app/RequireAuth";
import { errorMessage } from "../../ui/ApiErrorAlert";
import { BulkProgress } from "../../ui/BulkProgress";
import { dayOf, endOfDay } from "../../ui/days";
import { usePersonPrivacy } from "../../ui/personPrivacy";
import { useBulkRun } from "../../ui/useBulkRun";

export type BulkAction = "due" | "complete" | "drop";

/**
 * Changes the selected assignments one by one: a new due date (or none), completion, or
 * withdrawal. The dialog asks first, then shows a progress bar, then what was done and, per
 * row, what was refused and why. `onClose(changed)` says whether anything was attempted.
 */
export function BulkDialog({
  orgId,
  action,
  items,
  onClose,
}: {
  orgId: string;
  action: BulkAction;
  items: Assignment[];
  onClose: (changed: boolean) => void;
}) {
  const { t } = useTranslation("assignments");
  const person = usePersonPrivacy();
  const me = useSignedInMe();
  const queryClient = useQueryClient();
  const bulk = useBulkRun<Assignment>();
  const [day, setDay] = useState(dayOf(null, 30));
  const [noDate, setNoDate] = useState(false);
  const dueAt = noDate ? null : endOfDay(day);
  const dayInvalid = action === "due" && !noDate && dueAt === null;

  const start = async () => {
    const change: EnrollmentChange = action === "due" ? { kind: "due", dueAt } : { kind: action };
    await bulk.run(items, (item) => changeEnrollment(item.id, change));
    await queryClient.invalidateQueries({ queryKey: assignmentKeys.org(me.user.id, orgId) });
  };
  const close = () => !bulk.running && onClose(bulk.finished);

  return (
    <Modal
      opened
      onClose={close}
      title={t(`bulk.${action}Title`, { count: items.length })}
      closeOnClickOutside={!bulk.running}
      closeOnEscape={!bulk.running}
      closeButtonProps={{ "aria-label": t("bulk.close") }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!dayInvalid) void start();
        }}
      >
        <Stack gap="sm">
          {!bulk.running && !bulk.finished && (
            <>
              <Text>{t(`bulk.${action}Text`, { count: items.length })}</Text>
              {action === "due" && (
                <>
                  <TextInput
                    type="date"
                    label={t("bulk.newDue")}
                    value={day}
                    onChange={(event) => setDay(event.currentTarget.value)}
                    disabled={noDate}
                    error={dayInvalid ? t("assign.dueInvalid") : undefined}
                    data-autofocus
                  />
                  <Checkbox
                    label={t("bulk.noDue")}
                    checked={noDate}
                    onChange={(event) => setNoDate(event.currentTarget.checked)}
                  />
                </>
              )}
            </>
          )}
          {(bulk.running || bulk.finished) && (
            <BulkProgress
              done={bulk.done}
              total={bulk.total}
              label={t("bulk.progress", { done: bulk.done, total: bulk.total })}
            />
          )}
          {bulk.finished && (
            <Text fw={500}>
              {t("bulk.result", {
                count: bulk.done - bulk.failures.length,
                total: bulk.total,
              })}
            </Text>
          )}
          {bulk.failures.length > 0 && (
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t("bulk.refused", { count: bulk.failures.length })}
              </Text>
              <List size="sm" spacing={2}>
                {bulk.failures.map(({ item, error }) => (
                  <List.Item key={item.id} style={{ overflowWrap: "anywhere" }}>
                    {t("bulk.refusedRow", {
                      learner: person.name(item.learner),
                      course: item.course.title,
                      reason: errorMessage(t, error),
                    })}
                  </List.Item>
                ))}
              </List>
            </Stack>
          )}
          <Group justify="flex-end" gap="sm">
            {bulk.running ? (
              <Button variant="default" onClick={bulk.cancel}>
                {t("bulk.stop")}
              </Button>
            ) : bulk.finished ? (
              <Button onClick={close}>{t("bulk.close")}</Button>
            ) : (
              <>
                <Button variant="default" onClick={close}>
                  {t("bulk.cancel")}
                </Button>
                <Button type="submit" color={action === "drop" ? "red.9" : undefined}>
                  {t(`bulk.${action}Confirm`, { count: items.length })}
                </Button>
              </>
            )}
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
