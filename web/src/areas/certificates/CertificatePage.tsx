import {
  Anchor,
  Button,
  CopyButton,
  Group,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import {
  type Certificate,
  useCertificate,
  useDownloadCertificatePdf,
} from "../../api/certificates";
import { ApiError } from "../../api/errors";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { CertificateStatusBadge } from "./CertificateStatusBadge";

function NotFound() {
  const { t } = useTranslation("certificates");
  usePageTitle(t("detail.notFoundTitle"));
  return (
    <Stack gap="md" maw={560}>
      <Title order={1}>{t("detail.notFoundTitle")}</Title>
      <Text>{t("detail.notFoundBody")}</Text>
      <Anchor component={Link} to="/certificates">
        {t("detail.back")}
      </Anchor>
    </Stack>
  );
}

/** Download, LinkedIn, and the public verification link to copy or open. */
function ShareActions({ certificate }: { certificate: Certificate }) {
  const { t } = useTranslation("certificates");
  const pdf = useDownloadCertificatePdf();
  const revoked = certificate.status === "revoked";
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="certificate-share">
      <Stack gap="sm">
        <Title order={2} size="h3" id="certificate-share">
          {t("detail.shareTitle")}
        </Title>
        <Group gap="sm">
          <Button onClick={() => pdf.mutate(certificate)} loading={pdf.isPending}>
            {t("detail.downloadPdf")}
          </Button>
          {!revoked && (
            <Button
              component="a"
              href={certificate.linkedIn.addToProfile}
              target="_blank"
              rel="noopener noreferrer"
              variant="default"
            >
              {t("detail.linkedInAdd")}
            </Button>
          )}
          {!revoked && (
            <Button
              component="a"
              href={certificate.linkedIn.share}
              target="_blank"
              rel="noopener noreferrer"
              variant="default"
            >
              {t("detail.linkedInShare")}
            </Button>
          )}
        </Group>
        {pdf.isError && <ApiErrorAlert error={pdf.error} />}
        <TextInput
          label={t("detail.verificationLink")}
          description={t("detail.verificationHint")}
          value={certificate.verificationUrl}
          readOnly
          onFocus={(event) => event.currentTarget.select()}
        />
        <Group gap="sm">
          <CopyButton value={certificate.verificationUrl}>
            {({ copied, copy }) => (
              <>
                <Button variant="light" onClick={copy} color={copied ? "teal.9" : undefined}>
                  {copied ? t("detail.copied") : t("detail.copy")}
                </Button>
                {/* Tells screen readers the link was copied. */}
                <VisuallyHidden role="status">{copied ? t("detail.copied") : ""}</VisuallyHidden>
              </>
            )}
          </CopyButton>
          <Anchor component={Link} to={`/verify/${certificate.number}`}>
            {t("detail.openVerification")}
          </Anchor>
        </Group>
      </Stack>
    </Paper>
  );
}

function CertificateView({ certificate }: { certificate: Certificate }) {
  const { t } = useTranslation("certificates");
  const format = useFormat();
  usePageTitle(t("detail.title", { course: certificate.courseTitle }));
  const rows: Array<[string, string]> = [
    [t("verify.recipient"), certificate.recipientName],
    [t("verify.course"), certificate.courseTitle],
    [t("verify.issuer"), certificate.issuerName],
    [t("verify.number"), certificate.number],
    [t("verify.issuedAt"), format.date(certificate.issuedAt)],
    [
      t("verify.expiresAt"),
      certificate.expiresAt ? format.date(certificate.expiresAt) : t("mine.noExpiry"),
    ],
  ];
  if (certificate.revokedAt) rows.push([t("verify.revokedAt"), format.date(certificate.revokedAt)]);
  if (certificate.revokedReason) rows.push([t("verify.reason"), certificate.revokedReason]);
  return (
    <Stack gap="lg" maw={760}>
      <Anchor component={Link} to="/certificates" size="sm">
        {t("detail.back")}
      </Anchor>
      <Stack gap="xs">
        <Title order={1}>{t("detail.title", { course: certificate.courseTitle })}</Title>
        <Group gap="sm">
          <CertificateStatusBadge status={certificate.status} />
          <Text>{t(`verify.summary.${certificate.status}`)}</Text>
        </Group>
      </Stack>
      <Table variant="vertical" withTableBorder layout="fixed">
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w={150}>{label}</Table.Th>
              <Table.Td style={{ overflowWrap: "anywhere" }}>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <ShareActions certificate={certificate} />
    </Stack>
  );
}

/**
 * One of the person's certificates (`/certificates/:certificateId`, the path the server mails
 * when it issues one): its facts, the PDF, LinkedIn and the public verification link.
 */
export function CertificatePage() {
  const { certificateId = "" } = useParams();
  const me = useSignedInMe();
  const certificate = useCertificate(me.user.id, certificateId);
  const notFound =
    certificate.error instanceof ApiError &&
    (certificate.error.status === 404 || certificate.error.status === 400);
  if (notFound) return <NotFound />;
  return (
    <PageState
      query={certificate}
      pending={
        <Stack gap="lg" maw={760} aria-hidden>
          <Skeleton height={36} width="60%" />
          <Skeleton height={240} radius="md" />
          <Skeleton height={160} radius="md" />
        </Stack>
      }
    >
      {(data) => <CertificateView certificate={data} />}
    </PageState>
  );
}
