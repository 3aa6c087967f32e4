import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { ComplianceStatus } from "../../api/compliance";

/** The dot's colour: a second cue only; the badge always says the status in words. */
export const STATUS_COLOR: Record<ComplianceStatus, string> = {
  compliant: "teal",
  "due-soon": "yellow",
  overdue: "red",
  expired: "grape",
  exempt: "gray",
  "in-progress": "indigo",
  "not-started": "orange",
};

export function StatusBadge({ status }: { status: ComplianceStatus }) {
  const { t } = useTranslation("compliance");
  return (
    <Badge variant="dot" color={STATUS_COLOR[status]} style={{ whiteSpace: "nowrap" }}>
      {t(`status.${status}`)}
    </Badge>
  );
}
