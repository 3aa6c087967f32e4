import { Anchor, Badge, Group, Paper, Stack, Text } from "@mantine/core";
import type { UseQueryResult } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Certificate } from "../../api/certificates";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { CARD_LIST_STYLE, Section } from "./Section";

/** Certificates shown on My learning; the rest are on /certificates. */
const LATEST = 3;
const STATUS_COLOR = { valid: "teal.9", expired: "gray.8", revoked: "red.9" } as const;

/** The person's latest certificates, each linked to its page. */
export function CertificatesSection({ query }: { query: UseQueryResult<Certificate[]> }) {
  const { t } = useTranslation("learner");
  const format = useFormat();
  const certificates = query.data ?? [];
  return (
    <Section
      id="my-learning-certificates"
      title={t("myLearning.certificates.title")}
      aside={
        certificates.length > 0 && (
          <Anchor component={Link} to="/certificates" size="sm">
            {t("myLearning.certificates.all")}
          </Anchor>
        )
      }
      empty={
        query.isSuccess && certificates.length === 0
          ? {
              title: t("myLearning.certificates.emptyTitle"),
              reason: t("myLearning.certificates.emptyBody"),
            }
          : null
      }
    >
      {query.isError ? (
        <ApiErrorAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <Stack
          gap="xs"
          component="ul"
          aria-label={t("myLearning.certificates.listLabel")}
          style={CARD_LIST_STYLE}
        >
          {certificates.slice(0, LATEST).map((c) => (
            <Paper key={c.id} withBorder radius="md" p="sm" component="li">
              <Group justify="space-between" gap="xs">
                <Stack gap={0}>
                  <Anchor component={Link} to={`/certificates/${c.id}`} fw={600}>
                    {c.courseTitle}
                  </Anchor>
                  <Text size="sm" c="dimmed">
                    {t("myLearning.certificates.issued", { date: format.date(c.issuedAt) })}
                  </Text>
                </Stack>
                <Badge color={STATUS_COLOR[c.status]} variant="filled">
                  {t(`myLearning.certificates.status.${c.status}`)}
                </Badge>
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
    </Section>
  );
}
