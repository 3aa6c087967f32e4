import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { Fragment, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import {
  AUDIT_RISK_LEVELS,
  type AuditEntry,
  type AuditFilters,
  useAuditLog,
  useAuditVerification,
} from "../../api/organization";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { dayOf, endOfDay, startOfDay } from "../../ui/days";
import { FilterRow } from "../../ui/FilterRow";
import { FilterSelect } from "../../ui/FilterSelect";
import { PagedList } from "../../ui/PagedList";
import { SearchFilter } from "../../ui/SearchFilter";
import { usePageParams } from "../../ui/usePageParams";
import { auditChanges } from "./diff";
import { OrganizationFrame } from "./OrganizationFrame";

/** The kinds of things the audit trail records changes to, for the filter. */
const ENTITY_TYPES = [
  "organization",
  "organization-member",
  "organization-domain",
  "invite",
  "department",
  "team",
  "role",
  "user-role",
  "api-key",
  "scim-token",
  "user",
  "course",
  "module",
  "lesson",
  "cohort",
  "enrollment",
  "enrollment-request",
  "payment",
  "seat-allocation",
  "certificate",
  "quiz",
  "question",
] as const;

/**
 * The organization's audit trail (`/organization/audit?org=…`), newest first: who changed
 * what and when, filtered by action, kind of thing and dates (all in the URL), each entry
 * opening to its fields before and after, the changed ones marked.
 */
export function AuditPage() {
  const { t } = useTranslation("organization");
  return (
    <OrganizationFrame title={t("audit.title")} permission="audit-logs:read">
      {(orgId) => <AuditTrail orgId={orgId} />}
    </OrganizationFrame>
  );
}

function AuditTrail({ orgId }: { orgId: string }) {
  const { t } = useTranslation("organization");
  const [params] = useSearchParams();
  const fromDay = params.get("from") ?? "";
  const toDay = params.get("to") ?? "";
  const toEnd = toDay ? endOfDay(toDay) : null;
  const filters: AuditFilters = {
    page: Math.max(1, Number(params.get("page")) || 1),
    action: params.get("action") ?? "",
    entityType: params.get("entity") ?? "",
    riskLevel: AUDIT_RISK_LEVELS.find((r) => r === params.get("risk")) ?? "",
    from: fromDay ? startOfDay(fromDay) : null,
    // "To" includes the whole chosen day; the API's end is exclusive.
    to: toEnd ? new Date(new Date(toEnd).getTime() + 1).toISOString() : null,
  };
  const setParam = usePageParams().set;

  return (
    <Stack gap="sm" component="section" aria-labelledby="audit-heading" mt="md">
      <Integrity orgId={orgId} />
      <Title order={2} id="audit-heading">
        {t("audit.heading")}
      </Title>
      <FilterRow>
        <SearchFilter
          param="action"
          label={t("audit.action")}
          description={t("audit.actionHint")}
          w={{ base: "100%", xs: 240 }}
        />
        <FilterSelect
          label={t("audit.entity")}
          any={t("audit.anyEntity")}
          options={ENTITY_TYPES.map((type) => ({ value: type, label: type }))}
          value={filters.entityType}
          onChange={(value) => setParam("entity", value)}
          searchable
          w={{ base: "100%", xs: 220 }}
        />
        <FilterSelect
          label={t("audit.risk")}
          any={t("audit.anyRisk")}
          options={AUDIT_RISK_LEVELS.map((level) => ({
            value: level,
            label: t("audit.riskAtLeast", { level: t(`audit.riskLevel.${level}`) }),
          }))}
          value={filters.riskLevel}
          onChange={(value) => setParam("risk", value)}
          w={{ base: "100%", xs: 200 }}
        />
        <TextInput
          type="date"
          label={t("audit.from")}
          value={fromDay}
          max={toDay || dayOf(null)}
          onChange={(event) => setParam("from", event.currentTarget.value || null)}
          w={{ base: "100%", xs: 170 }}
        />
        <TextInput
          type="date"
          label={t("audit.to")}
          value={toDay}
          min={fromDay || undefined}
          onChange={(event) => setParam("to", event.currentTarget.value || null)}
          w={{ base: "100%", xs: 170 }}
        />
      </FilterRow>
      <AuditTable orgId={orgId} filters={filters} onPage={(p) => setParam("page", String(p))} />
    </Stack>
  );
}

function AuditTable({
  orgId,
  filters,
  onPage,
}: {
  orgId: string;
  filters: AuditFilters;
  onPage: (page: number) => void;
}) {
  const { t } = useTranslation("organization");
  const me = useSignedInMe();
  const format = useFormat();
  const log = useAuditLog(me.user.id, orgId, filters);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <PagedList
      query={log}
      page={filters.page}
      onPage={onPage}
      empty={{ title: t("audit.emptyTitle"), reason: t("audit.emptyReason") }}
      count={(total) => t("audit.count", { count: total })}
    >
      {(items) => (
        <>
          <Table.ScrollContainer minWidth={0}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("audit.when")}</Table.Th>
                  <Table.Th>{t("audit.who")}</Table.Th>
                  <Table.Th>{t("audit.what")}</Table.Th>
                  <Table.Th>{t("audit.changes")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((entry) => {
                  const expanded = open === entry.id;
                  return (
                    <Fragment key={entry.id}>
                      <Table.Tr>
                        <Table.Td>{format.dateTime(entry.createdAt)}</Table.Td>
                        <Table.Td style={{ overflowWrap: "anywhere" }}>
                          <Actor entry={entry} />
                        </Table.Td>
                        <Table.Td style={{ overflowWrap: "anywhere" }}>
                          <Code>{entry.action}</Code>
                          {entry.riskLevel && (
                            <Badge
                              ml={6}
                              size="xs"
                              variant={RISKY.has(entry.riskLevel) ? "filled" : "outline"}
                              color={RISKY.has(entry.riskLevel) ? "red.9" : "gray.8"}
                            >
                              {t(`audit.riskLevel.${entry.riskLevel}`)}
                            </Badge>
                          )}
                          <Text size="sm" c="dimmed">
                            {entry.entityType}
                            {entry.entityId ? ` ${entry.entityId.slice(0, 8)}` : ""}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Button
                            size="xs"
                            variant="default"
                            aria-expanded={expanded}
                            aria-controls={`audit-${entry.id}`}
                            aria-label={t(expanded ? "audit.hideFor" : "audit.showFor", {
                              action: entry.action,
                              when: format.dateTime(entry.createdAt),
                            })}
                            onClick={() => setOpen(expanded ? null : entry.id)}
                          >
                            {expanded ? t("audit.hide") : t("audit.show")}
                          </Button>
                        </Table.Td>
                      </Table.Tr>
                      {expanded && (
                        <Table.Tr id={`audit-${entry.id}`}>
                          <Table.Td colSpan={4}>
                            <EntryDetails entry={entry} />
                          </Table.Td>
                        </Table.Tr>
                      )}
                    </Fragment>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </PagedList>
  );
}

const RISKY = new Set(["high", "critical"]);

/**
 * Whether the trail is intact: on demand (the check reads every sealed record), with how many
 * records hold and, when it is broken, the first record that does not.
 */
function Integrity({ orgId }: { orgId: string }) {
  const { t } = useTranslation("organization");
  const me = useSignedInMe();
  const check = useAuditVerification(me.user.id, orgId);
  const report = check.data;
  return (
    <Stack gap="xs" component="section" aria-labelledby="audit-integrity-heading">
      <Title order={2} id="audit-integrity-heading">
        {t("audit.integrity.heading")}
      </Title>
      <Text size="sm">{t("audit.integrity.explain")}</Text>
      <Group>
        <Button variant="default" loading={check.isFetching} onClick={() => check.refetch()}>
          {t("audit.integrity.check")}
        </Button>
      </Group>
      <div aria-live="polite">
        {check.isError && !check.isFetching && (
          <Alert color="red" variant="light">
            <Text fw={700}>{t("audit.integrity.failed")}</Text>
            <Text size="sm">{check.error.message}</Text>
          </Alert>
        )}
        {report && !check.isFetching && report.ok && (
          <Alert color="teal" variant="light">
            <Text fw={700}>{t("audit.integrity.intact")}</Text>
            <Text size="sm">
              {t("audit.integrity.intactDetail", { count: report.sealed })}{" "}
              {report.unsealed > 0 && t("audit.integrity.waiting", { count: report.unsealed })}
            </Text>
          </Alert>
        )}
        {report && !check.isFetching && !report.ok && report.broken && (
          <Alert color="red" variant="light">
            <Text fw={700}>{t("audit.integrity.broken")}</Text>
            <Text size="sm">
              {t("audit.integrity.brokenAt", { seq: report.broken.seq, count: report.sealed })}{" "}
              {report.broken.reason}
            </Text>
          </Alert>
        )}
      </div>
    </Stack>
  );
}

function Actor({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation("organization");
  const { actor } = entry;
  if (actor.type === "api-key")
    return <Text size="sm">{t("audit.apiKey", { name: actor.apiKeyName ?? "" })}</Text>;
  if (actor.type === "scim-token")
    return <Text size="sm">{t("audit.scimToken", { name: actor.scimTokenName ?? "" })}</Text>;
  if (actor.type === "system") return <Text size="sm">{t("audit.system")}</Text>;
  return (
    <>
      <Text size="sm">{actor.name ?? t("audit.unknownPerson")}</Text>
      {actor.email && (
        <Text size="xs" c="dimmed">
          {actor.email}
        </Text>
      )}
    </>
  );
}

/** The fields before and after, changed ones marked, and where the request came from. */
function EntryDetails({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation("organization");
  const changes = auditChanges(entry.before, entry.after);
  return (
    <Stack gap="xs">
      {changes.length === 0 ? (
        <Text size="sm">{t("audit.noValues")}</Text>
      ) : (
        <Table.ScrollContainer minWidth={0}>
          <Table withTableBorder fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("audit.field")}</Table.Th>
                <Table.Th>{t("audit.before")}</Table.Th>
                <Table.Th>{t("audit.after")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {changes.map((c) => (
                <Table.Tr key={c.field} fw={c.changed ? 600 : undefined}>
                  <Table.Td style={{ overflowWrap: "anywhere" }}>
                    {c.field}
                    {c.changed && (
                      <Badge ml={6} size="xs" variant="outline" color="blue.9">
                        {t("audit.changed")}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td style={{ overflowWrap: "anywhere" }}>{c.before ?? "—"}</Table.Td>
                  <Table.Td style={{ overflowWrap: "anywhere" }}>{c.after ?? "—"}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {entry.justification && (
        <Text size="sm">{t("audit.justification", { text: entry.justification })}</Text>
      )}
      {(entry.dataSensitivity || entry.regulatoryImpact) && (
        <Text size="xs" c="dimmed">
          {t("audit.classification", {
            sensitivity: entry.dataSensitivity
              ? t(`audit.sensitivity.${entry.dataSensitivity}`)
              : "—",
            impact: entry.regulatoryImpact ? t(`audit.impact.${entry.regulatoryImpact}`) : "—",
          })}
        </Text>
      )}
      <Text size="xs" c="dimmed" style={{ overflowWrap: "anywhere" }}>
        {entry.chain
          ? t("audit.sealed", { seq: entry.chain.seq, hash: entry.chain.hash.slice(0, 16) })
          : t("audit.notSealed")}
      </Text>
      <Text size="xs" c="dimmed" style={{ overflowWrap: "anywhere" }}>
        {t("audit.origin", {
          ip: entry.ipAddress ?? "—",
          request: entry.requestId ?? "—",
        })}
      </Text>
    </Stack>
  );
}
