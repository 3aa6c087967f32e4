import {
  Anchor,
  Badge,
  Button,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type EvidencePack,
  evidencePackFileUrl,
  useEvidencePacks,
  useEvidenceRequirements,
  useRequestEvidencePack,
} from "../../api/complianceEvidence";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { EmptyState } from "../../ui/EmptyState";
import { PageState } from "../../ui/PageState";
import { ComplianceFrame } from "./ComplianceFrame";

const STATUS_COLOR: Record<EvidencePack["status"], string> = {
  pending: "gray.8",
  queued: "gray.8",
  processing: "blue.9",
  ready: "teal.9",
  failed: "red.9",
  cancelled: "gray.8",
  expired: "grape.9",
};

/**
 * The auditor's evidence pack (`/compliance/evidence?org=…`): pick a requirement and a period,
 * have the pack made (a report job), follow its status and download the ZIP when it is ready.
 * Open to people who may read the organization's compliance data.
 */
export function EvidencePage() {
  const { t } = useTranslation("complianceEvidence");
  return (
    <ComplianceFrame title={t("title")}>
      {(orgId) => (
        <>
          <Text>{t("intro")}</Text>
          <Evidence orgId={orgId} />
        </>
      )}
    </ComplianceFrame>
  );
}

const thisYear = () => new Date().getUTCFullYear();

function Evidence({ orgId }: { orgId: string }) {
  const { t } = useTranslation("complianceEvidence");
  const format = useFormat();
  const requirements = useEvidenceRequirements(orgId);
  const packs = useEvidencePacks(orgId);
  const request = useRequestEvidencePack(orgId);
  const [requirementId, setRequirementId] = useState<string | null>(null);
  const [from, setFrom] = useState(`${thisYear()}-01-01`);
  const [to, setTo] = useState(`${thisYear()}-12-31`);
  const [queued, setQueued] = useState(false);

  const names = new Map((requirements.data ?? []).map((r) => [r.id, r.name]));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!requirementId) return;
    setQueued(false);
    request.mutate({ requirementId, from, to }, { onSuccess: () => setQueued(true) });
  };

  return (
    <>
      <Stack component="section" aria-labelledby="evidence-new" gap="sm">
        <Title order={2} id="evidence-new">
          {t("form.heading")}
        </Title>
        <PageState
          query={requirements}
          isEmpty={(rows) => rows.length === 0}
          empty={
            <EmptyState title={t("form.noRequirements")} reason={t("form.noRequirementsReason")} />
          }
        >
          {(rows) => (
            <form onSubmit={submit}>
              <fieldset disabled={request.isPending} style={{ border: 0, padding: 0, margin: 0 }}>
                <Group align="flex-end" wrap="wrap" gap="sm">
                  <Select
                    label={t("form.requirement")}
                    data={rows.map((r) => ({ value: r.id, label: r.name }))}
                    value={requirementId}
                    onChange={setRequirementId}
                    required
                    miw={240}
                  />
                  <TextInput
                    type="date"
                    label={t("form.from")}
                    value={from}
                    onChange={(e) => setFrom(e.currentTarget.value)}
                    required
                  />
                  <TextInput
                    type="date"
                    label={t("form.to")}
                    value={to}
                    onChange={(e) => setTo(e.currentTarget.value)}
                    required
                  />
                  <Button type="submit" loading={request.isPending} disabled={!requirementId}>
                    {t("form.generate")}
                  </Button>
                </Group>
              </fieldset>
            </form>
          )}
        </PageState>
        {request.error && <ApiErrorAlert error={request.error} />}
        {queued && (
          <Text role="status" fw={700}>
            {t("form.queued")}
          </Text>
        )}
      </Stack>

      <Stack component="section" aria-labelledby="evidence-packs" gap="sm">
        <Title order={2} id="evidence-packs">
          {t("list.heading")}
        </Title>
        <PageState
          query={packs}
          isEmpty={(data) => data.items.length === 0}
          empty={
            <EmptyState title={t("list.empty")} reason={t("list.emptyReason")} headingLevel={3} />
          }
        >
          {(data) => (
            <Table.ScrollContainer minWidth={640}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("list.requirement")}</Table.Th>
                    <Table.Th>{t("list.period")}</Table.Th>
                    <Table.Th>{t("list.requested")}</Table.Th>
                    <Table.Th>{t("list.status")}</Table.Th>
                    <Table.Th>{t("list.file")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((pack) => (
                    <Table.Tr key={pack.id}>
                      <Table.Td>{names.get(pack.requirementId) ?? pack.name}</Table.Td>
                      <Table.Td>{t("list.range", { from: pack.from, to: pack.to })}</Table.Td>
                      <Table.Td>{format.dateTime(pack.queuedAt)}</Table.Td>
                      <Table.Td>
                        <Badge color={STATUS_COLOR[pack.status]} variant="filled">
                          {t(`status.${pack.status}`)}
                        </Badge>
                        {pack.error && (
                          <Text size="sm" c="red.9">
                            {pack.error.message}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        {pack.status === "ready" && pack.file ? (
                          <Anchor href={evidencePackFileUrl(orgId, pack.id)} download>
                            {t("list.download", { rows: pack.file.rows })}
                          </Anchor>
                        ) : (
                          <Text size="sm">{t("list.notReady")}</Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </PageState>
      </Stack>
    </>
  );
}
