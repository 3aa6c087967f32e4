import type { TFunction } from "i18next";
import type { ExecutionStatus, Workflow, WorkflowVersion } from "../../api/workflow-definitions";

/** A workflow's trigger in words: the event, the schedule, or by hand. */
export function triggerWords(
  t: TFunction<"workflows">,
  trigger: Workflow["trigger"] | WorkflowVersion["trigger"],
  builtin: Workflow["builtin"] = null,
): string {
  if (builtin) return t("trigger.builtin");
  if (trigger.type === "event" && trigger.event)
    return t("trigger.onEvent", {
      event: t(`event.${trigger.event}`, { defaultValue: trigger.event }),
    });
  if (trigger.type === "schedule" && trigger.cron) return t("trigger.cron", { cron: trigger.cron });
  if (trigger.type === "schedule") return t("trigger.every", { count: trigger.everyHours ?? 0 });
  return t("trigger.byHand");
}

/** Colours of execution statuses; the status is always written next to it. */
export const STATUS_COLOR: Record<ExecutionStatus, string> = {
  running: "blue",
  waiting: "yellow",
  "awaiting-approval": "orange",
  completed: "teal",
  rejected: "red",
  cancelled: "gray",
  failed: "red",
};
