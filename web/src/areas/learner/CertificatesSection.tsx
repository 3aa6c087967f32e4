import { Anchor, Badge, Group, Paper, Stack, Text } from "@mantine/core";
import type { UseQueryResult } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Certificate } from "../../api/certificates";
import { useFormat } from "../../i18n/format";
import { QueryListSection } from "./Section";

/** Certificates shown on My learning; the rest are on /certificates. */
const LATEST = 3;
const STATUS_COLOR = { valid: "teal.9", expired: "gray.8", revoked: "red.9" } as const;

/** The person's latest certificates, each linked to its page. */
export function CertificatesSection({ query }: { query: UseQueryResult<Certificate[]> }) {
  const { t } = useTranslation("learner");
  const format = useFormat();
  const certificates = query.data ?? [];
  return (
    <QueryListSection
      id="my-learning-certificates"
      title={t("myLearning.certificates.title")}
      aside={
        certificates.length > 0 && (
          <Anchor component={Link} to="/certificates" size="sm">
            {t("myLearning.certificates.all")}
          </Anchor>
        )
      }
      query={query}
      count={certificates.length}
      empty={{
        title: t("myLearning.certificates.emptyTitle"),
        reason: t("myLearning.certificates.emptyBody"),
      }}
      listLabel={t("myLearning.certificates.listLabel")}
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
    </QueryListSection>
  );
}
