import {
  Anchor,
  Button,
  Card,
  Group,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type Certificate, useMyCertificates } from "../../api/certificates";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { EmptyState } from "../../ui/EmptyState";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { CertificateStatusBadge } from "./CertificateStatusBadge";
import { TranscriptButton } from "./TranscriptButton";

function CertificateCard({ certificate }: { certificate: Certificate }) {
  const { t } = useTranslation("certificates");
  const format = useFormat();
  return (
    <Card withBorder radius="md" padding="md" component="li">
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Title order={2} size="h4">
            <Anchor component={Link} to={`/certificates/${certificate.id}`}>
              {certificate.courseTitle}
            </Anchor>
          </Title>
          <CertificateStatusBadge status={certificate.status} />
        </Group>
        <dl className="facts">
          <dt>{t("verify.number")}</dt>
          <dd style={{ overflowWrap: "anywhere" }}>{certificate.number}</dd>
          <dt>{t("verify.issuedAt")}</dt>
          <dd>{format.date(certificate.issuedAt)}</dd>
          <dt>{t("verify.expiresAt")}</dt>
          <dd>{certificate.expiresAt ? format.date(certificate.expiresAt) : t("mine.noExpiry")}</dd>
        </dl>
      </Stack>
    </Card>
  );
}

/** The signed-in person's certificates, newest first, and their transcript to download. */
export function CertificatesPage() {
  const { t } = useTranslation("certificates");
  usePageTitle(t("mine.title"));
  const me = useSignedInMe();
  const certificates = useMyCertificates(me.user.id);
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={1}>{t("mine.title")}</Title>
          <Text c="dimmed">{t("mine.intro")}</Text>
        </Stack>
        <TranscriptButton />
      </Group>
      <PageState
        query={certificates}
        pending={
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} aria-hidden>
            {[0, 1, 2].map((i) => (
              <Skeleton key={i} height={170} radius="md" />
            ))}
          </SimpleGrid>
        }
        isEmpty={(data) => data.length === 0}
        empty={
          <EmptyState
            title={t("mine.emptyTitle")}
            reason={t("mine.emptyBody")}
            action={
              <Button component={Link} to="/">
                {t("mine.toMyLearning")}
              </Button>
            }
          />
        }
      >
        {(data) => (
          <SimpleGrid
            cols={{ base: 1, sm: 2, lg: 3 }}
            component="ul"
            aria-label={t("mine.listLabel")}
            style={{ listStyle: "none", padding: 0, margin: 0 }}
          >
            {data.map((c) => (
              <CertificateCard key={c.id} certificate={c} />
            ))}
          </SimpleGrid>
        )}
      </PageState>
    </Stack>
  );
}
