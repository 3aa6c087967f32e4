import { Alert, Anchor, Badge, Group, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { type CertificateVerification, useCertificateVerification } from "../../api/certificates";
import { ApiError } from "../../api/errors";
import { useFormat } from "../../i18n/format";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";

// White on each stays above 4.5:1 (orange, even its darkest shade, does not).
const STATUS_COLOR = { valid: "teal.9", expired: "gray.8", revoked: "red.9" } as const;

/**
 * The public check of a certificate by its number (`/verify/LYC-2026-…`): anyone holding the
 * number sees whether it is valid, expired or revoked (with the reason), without signing in.
 */
export function VerifyCertificatePage() {
  const { t } = useTranslation("certificates");
  usePageTitle(t("verify.title"));
  const { number = "" } = useParams();
  const verification = useCertificateVerification(number);
  const unknown =
    verification.error instanceof ApiError &&
    (verification.error.status === 404 || verification.error.status === 400);
  return (
    <Stack gap="md" maw={640}>
      <Title order={1}>{t("verify.title")}</Title>
      {unknown ? (
        <Alert color="red" role="alert" title={t("verify.unknownTitle")}>
          <Text size="sm">{t("verify.unknownBody", { number })}</Text>
        </Alert>
      ) : (
        <PageState query={verification}>{(data) => <Verification data={data} />}</PageState>
      )}
      <Anchor component={Link} to="/">
        {t("verify.home")}
      </Anchor>
    </Stack>
  );
}

function Verification({ data }: { data: CertificateVerification }) {
  const { t } = useTranslation("certificates");
  const format = useFormat();
  const rows: Array<[string, string]> = [
    [t("verify.recipient"), data.recipientName],
    [t("verify.course"), data.courseTitle],
    [t("verify.issuer"), data.issuerName],
    [t("verify.number"), data.number],
    [t("verify.issuedAt"), format.date(data.issuedAt)],
  ];
  if (data.expiresAt) rows.push([t("verify.expiresAt"), format.date(data.expiresAt)]);
  if (data.revokedAt) rows.push([t("verify.revokedAt"), format.date(data.revokedAt)]);
  return (
    <Stack gap="md">
      <Group gap="sm" role="status">
        <Badge color={STATUS_COLOR[data.status]} size="lg" variant="filled">
          {t(`verify.status.${data.status}`)}
        </Badge>
        <Text>{t(`verify.summary.${data.status}`)}</Text>
      </Group>
      {data.status === "revoked" && data.revokedReason && (
        <Alert color="red" title={t("verify.reason")}>
          <Text size="sm">{data.revokedReason}</Text>
        </Alert>
      )}
      <Table variant="vertical" withTableBorder layout="fixed">
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w={180}>{label}</Table.Th>
              <Table.Td style={{ overflowWrap: "anywhere" }}>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Anchor href={data.assertionUrl}>{t("verify.assertion")}</Anchor>
    </Stack>
  );
}
