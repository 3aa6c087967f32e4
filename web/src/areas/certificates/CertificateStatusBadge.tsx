import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Certificate } from "../../api/certificates";

const STATUS_COLOR = { valid: "teal.9", expired: "gray.8", revoked: "red.9" } as const;

/** A certificate's status (valid, expired, revoked) as a filled badge with its word. */
export function CertificateStatusBadge({ status }: { status: Certificate["status"] }) {
  const { t } = useTranslation("certificates");
  return (
    <Badge color={STATUS_COLOR[status]} variant="filled" style={{ flexShrink: 0 }}>
      {t(`verify.status.${status}`)}
    </Badge>
  );
}
