import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  archiveFileUrl,
  type RetentionAction,
  type RetentionCategory,
  type RetentionPolicy,
  useArchives,
  useDryRun,
  useRetention,
  useRetentionChange,
} from "../../api/privacy";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { endOfDay } from "../../ui/days";
import { EmptyState } from "../../ui/EmptyState";
import { PageState } from "../../ui/PageState";
import { OrganizationFrame } from "./OrganizationFrame";
import { overduePolicies, retainDaysProblem } from "./privacyRules";

/**
 * `/organization/retention?org=…`: a policy per data category (action, days kept, review
 * cycle, enabled), overdue reviews marked, a dry run, running now, the legal hold and the
 * archival log.
 */
export function RetentionPage() {
  const { t } = useTranslation("privacy");
  return (
    <OrganizationFrame title={t("retention.title")} permission="privacy:manage">
      {(orgId) => <Retention orgId={orgId} />}
    </OrganizationFrame>
  );
}

type CategoryInfo = {
  category: RetentionCategory;
  actions: RetentionAction[];
  minimumDays: number;
};

function Retention({ orgId }: { orgId: string }) {
  const { t } = useTranslation("privacy");
  const me = useSignedInMe();
  const retention = useRetention(me.user.id, orgId);
  return (
    <Stack gap="xl" mt="md">
      <Text>{t("retention.intro")}</Text>
      <PageState
        query={retention}
        pending={
          <Stack gap="sm">
            <Skeleton h={160} radius="md" />
            <Skeleton h={160} radius="md" />
          </Stack>
        }
      >
        {(data) => {
          const overdue = overduePolicies(data.policies);
          return (
            <>
              <LegalHold orgId={orgId} until={data.legalHoldUntil} />
              <Stack gap="sm" component="section" aria-labelledby="policies-heading">
                <Title order={2} id="policies-heading">
                  {t("retention.policiesHeading")}
                </Title>
                {overdue > 0 && (
                  <Alert color="orange" variant="light" role="status">
                    <Text fw={700} size="sm">
                      {t("retention.overdueCount", { count: overdue })}
                    </Text>
                  </Alert>
                )}
                <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
                  {data.categories.map((info) => (
                    <PolicyCard
                      key={info.category}
                      orgId={orgId}
                      info={info}
                      policy={data.policies.find((p) => p.category === info.category) ?? null}
                    />
                  ))}
                </SimpleGrid>
              </Stack>
            </>
          );
        }}
      </PageState>
      <DryRun orgId={orgId} />
      <Archives orgId={orgId} />
    </Stack>
  );
}

function PolicyCard({
  orgId,
  info,
  policy,
}: {
  orgId: string;
  info: CategoryInfo;
  policy: RetentionPolicy | null;
}) {
  const { t } = useTranslation("privacy");
  const me = useSignedInMe();
  const format = useFormat();
  const change = useRetentionChange(me.user.id, orgId);
  const [action, setAction] = useState<RetentionAction>(
    policy?.action ?? info.actions[0] ?? "delete",
  );
  const [retainDays, setRetainDays] = useState<number | string>(
    policy?.retainDays ?? info.minimumDays,
  );
  const [reviewEveryDays, setReviewEveryDays] = useState<number | string>(
    policy?.reviewEveryDays ?? 365,
  );
  const [enabled, setEnabled] = useState(policy?.enabled ?? true);
  const [message, setMessage] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const [tried, setTried] = useState(false);
  const category = t(`category.${info.category}`);
  const headingId = `policy-${info.category}`;
  const problem = retainDaysProblem(retainDays, info.minimumDays);
  const reviewProblem =
    typeof reviewEveryDays !== "number" ||
    !Number.isInteger(reviewEveryDays) ||
    reviewEveryDays < 1;

  const run = (next: Parameters<typeof change.mutate>[0], done: string) => {
    setMessage(null);
    change.mutate(next, { onSuccess: () => setMessage(done) });
  };

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Title order={3} size="h4" id={headingId}>
            {category}
          </Title>
          <Group gap={6}>
            {policy && !policy.enabled && (
              <Badge color="gray.7" variant="filled">
                {t("retention.disabled")}
              </Badge>
            )}
            {policy?.reviewOverdue && (
              <Badge color="red.9" variant="filled">
                {t("retention.overdue")}
              </Badge>
            )}
          </Group>
        </Group>
        {policy ? (
          <Stack gap={2}>
            <Text size="sm">
              {t("retention.current", {
                action: t(`action.${policy.action}`),
                days: policy.retainDays,
              })}
            </Text>
            <Text size="sm" c="dimmed">
              {t("retention.nextReview", { date: format.date(policy.nextReviewAt) })}
              {policy.lastRunAt
                ? ` · ${t("retention.lastRun", { date: format.dateTime(policy.lastRunAt) })}`
                : ""}
            </Text>
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">
            {t("retention.noPolicy")}
          </Text>
        )}
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setTried(true);
            if (problem || reviewProblem) return;
            run(
              {
                kind: "save",
                policy: {
                  category: info.category,
                  action,
                  retainDays: retainDays as number,
                  reviewEveryDays: reviewEveryDays as number,
                  enabled,
                },
              },
              t("retention.saved", { category }),
            );
          }}
        >
          <fieldset disabled={change.isPending} style={{ border: 0, padding: 0, margin: 0 }}>
            <legend
              style={{
                position: "absolute",
                width: 1,
                height: 1,
                overflow: "hidden",
                clip: "rect(0 0 0 0)",
              }}
            >
              {category}
            </legend>
            <Stack gap="xs">
              <Select
                label={t("retention.actionLabel")}
                data={info.actions.map((a) => ({ value: a, label: t(`action.${a}`) }))}
                value={action}
                allowDeselect={false}
                onChange={(value) => value && setAction(value as RetentionAction)}
              />
              <Group grow gap="xs" align="flex-start" wrap="wrap">
                <NumberInput
                  label={t("retention.retainDays")}
                  description={t("retention.minimum", { count: info.minimumDays })}
                  min={1}
                  max={36500}
                  allowDecimal={false}
                  value={retainDays}
                  onChange={setRetainDays}
                  error={tried && problem ? t(problem, { count: info.minimumDays }) : undefined}
                  miw={140}
                />
                <NumberInput
                  label={t("retention.reviewEveryDays")}
                  min={1}
                  max={3650}
                  allowDecimal={false}
                  value={reviewEveryDays}
                  onChange={setReviewEveryDays}
                  error={tried && reviewProblem ? t("retention.wholeDays") : undefined}
                  miw={140}
                />
              </Group>
              <Switch
                label={t("retention.enabled")}
                checked={enabled}
                onChange={(event) => setEnabled(event.currentTarget.checked)}
              />
              {change.error && <ApiErrorAlert error={change.error} />}
              {message && (
                <Text size="sm" role="status" fw={600}>
                  {message}
                </Text>
              )}
              <Group gap="xs" wrap="wrap">
                <Button
                  type="submit"
                  loading={change.isPending && change.variables?.kind === "save"}
                  aria-label={t("retention.saveLabel", { category })}
                >
                  {t("retention.save")}
                </Button>
                {policy?.reviewOverdue && (
                  <Button
                    variant="light"
                    onClick={() =>
                      run(
                        { kind: "review", category: info.category },
                        t("retention.reviewed", { category }),
                      )
                    }
                    aria-label={t("retention.markReviewedLabel", { category })}
                  >
                    {t("retention.markReviewed")}
                  </Button>
                )}
                {policy && (
                  <Button
                    variant="default"
                    color="red.9"
                    onClick={() => setRemoving(true)}
                    aria-label={t("retention.removeLabel", { category })}
                  >
                    {t("retention.remove")}
                  </Button>
                )}
              </Group>
            </Stack>
          </fieldset>
        </form>
      </Stack>
      {removing && (
        <ConfirmDialog
          title={t("retention.removeTitle", { category })}
          text={t("retention.removeText")}
          confirm={t("retention.remove")}
          busy={change.isPending}
          onClose={() => setRemoving(false)}
          onConfirm={() => {
            setMessage(null);
            change.mutate(
              { kind: "remove", category: info.category },
              {
                onSuccess: () => {
                  setRemoving(false);
                  setMessage(t("retention.removed", { category }));
                },
              },
            );
          }}
        />
      )}
    </Paper>
  );
}

function LegalHold({ orgId, until }: { orgId: string; until: string | null }) {
  const { t } = useTranslation("privacy");
  const me = useSignedInMe();
  const format = useFormat();
  const change = useRetentionChange(me.user.id, orgId);
  const [day, setDay] = useState("");
  const [reason, setReason] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const active = until !== null && new Date(until) > new Date();
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="hold-heading">
      <Stack gap="xs">
        <Title order={2} size="h3" id="hold-heading">
          {t("retention.holdHeading")}
        </Title>
        <Text size="sm">{t("retention.holdIntro")}</Text>
        <Text fw={600}>
          {active && until
            ? t("retention.holdActive", { date: format.date(until) })
            : t("retention.holdNone")}
        </Text>
        {change.error && <ApiErrorAlert error={change.error} />}
        {message && (
          <Text size="sm" role="status" fw={600}>
            {message}
          </Text>
        )}
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const end = endOfDay(day);
            if (!end) return;
            setMessage(null);
            change.mutate(
              {
                kind: "hold",
                until: end,
                reason: reason.trim() || null,
              },
              {
                onSuccess: () => {
                  setMessage(t("retention.holdSaved"));
                  setDay("");
                  setReason("");
                },
              },
            );
          }}
        >
          <Group align="flex-end" gap="sm" wrap="wrap">
            <TextInput
              type="date"
              label={t("retention.holdUntil")}
              value={day}
              required
              onChange={(event) => setDay(event.currentTarget.value)}
              w={{ base: "100%", xs: 180 }}
            />
            <TextInput
              label={t("retention.holdReason")}
              value={reason}
              maxLength={2000}
              onChange={(event) => setReason(event.currentTarget.value)}
              w={{ base: "100%", xs: 280 }}
            />
            <Button type="submit" variant="light" loading={change.isPending}>
              {t("retention.holdSet")}
            </Button>
            {active && (
              <Button
                variant="default"
                color="red.9"
                disabled={change.isPending}
                onClick={() => {
                  setMessage(null);
                  change.mutate(
                    { kind: "hold", until: null, reason: null },
                    { onSuccess: () => setMessage(t("retention.holdCleared")) },
                  );
                }}
              >
                {t("retention.holdClear")}
              </Button>
            )}
          </Group>
        </form>
      </Stack>
    </Paper>
  );
}

function DryRun({ orgId }: { orgId: string }) {
  const { t } = useTranslation("privacy");
  const me = useSignedInMe();
  const format = useFormat();
  const [asked, setAsked] = useState(false);
  const dry = useDryRun(me.user.id, orgId, asked);
  const change = useRetentionChange(me.user.id, orgId);
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<string[] | null>(null);
  return (
    <Stack gap="sm" component="section" aria-labelledby="dry-run-heading">
      <Title order={2} id="dry-run-heading">
        {t("retention.dryRunHeading")}
      </Title>
      <Text size="sm">{t("retention.dryRunIntro")}</Text>
      <Group gap="sm" wrap="wrap">
        <Button
          variant="light"
          loading={dry.isFetching}
          onClick={() => (asked ? void dry.refetch() : setAsked(true))}
        >
          {asked ? t("retention.dryRunAgain") : t("retention.dryRun")}
        </Button>
        <Button color="red.9" variant="outline" onClick={() => setConfirming(true)}>
          {t("retention.runNow")}
        </Button>
      </Group>
      {change.error && <ApiErrorAlert error={change.error} />}
      {result && (
        <Stack gap={2} role="status">
          {result.map((line) => (
            <Text key={line} size="sm" fw={600}>
              {line}
            </Text>
          ))}
        </Stack>
      )}
      {asked && (
        <PageState query={dry} pending={<Skeleton h={200} radius="md" />}>
          {(rows) => (
            <Table.ScrollContainer minWidth={0}>
              <Table aria-labelledby="dry-run-heading">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("retention.dryRunCategory")}</Table.Th>
                    <Table.Th>{t("retention.dryRunAction")}</Table.Th>
                    <Table.Th>{t("retention.dryRunCutoff")}</Table.Th>
                    <Table.Th>{t("retention.dryRunAffected")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((row) => (
                    <Table.Tr key={row.category}>
                      <Table.Td>
                        {t(`category.${row.category}`)}
                        {row.held && (
                          <Badge ml={6} size="xs" color="red.9" variant="filled">
                            {t("retention.dryRunHeld")}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>
                        {row.action ? t(`action.${row.action}`) : t("retention.noAction")}
                      </Table.Td>
                      <Table.Td>{row.cutoff ? format.dateTime(row.cutoff) : "—"}</Table.Td>
                      <Table.Td>{format.number(row.affected)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </PageState>
      )}
      {confirming && (
        <ConfirmDialog
          title={t("retention.runTitle")}
          text={t("retention.runText")}
          confirm={t("retention.runNow")}
          busy={change.isPending}
          onClose={() => setConfirming(false)}
          onConfirm={() => {
            setResult(null);
            change.mutate(
              { kind: "run" },
              {
                onSuccess: (done) => {
                  setConfirming(false);
                  const runs = done ?? [];
                  const rows = runs.reduce((sum, r) => sum + r.rows, 0);
                  setResult([
                    t("retention.ran", { rows: format.number(rows) }),
                    ...runs
                      .filter((r) => r.skipped)
                      .map((r) =>
                        t("retention.skipped", {
                          category: t(`category.${r.category}`),
                          reason: r.skipped,
                        }),
                      ),
                  ]);
                },
              },
            );
          }}
        />
      )}
    </Stack>
  );
}

function Archives({ orgId }: { orgId: string }) {
  const { t } = useTranslation("privacy");
  const me = useSignedInMe();
  const format = useFormat();
  const archives = useArchives(me.user.id, orgId);
  return (
    <Stack gap="sm" component="section" aria-labelledby="archives-heading">
      <Title order={2} id="archives-heading">
        {t("retention.archivesHeading")}
      </Title>
      <PageState
        query={archives}
        pending={<Skeleton h={160} radius="md" />}
        isEmpty={(rows) => rows.length === 0}
        empty={
          <EmptyState
            headingLevel={3}
            title={t("retention.archivesEmptyTitle")}
            reason={t("retention.archivesEmptyReason")}
          />
        }
      >
        {(rows) => (
          <Table.ScrollContainer minWidth={0}>
            <Table aria-labelledby="archives-heading">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("retention.archiveWhen")}</Table.Th>
                  <Table.Th>{t("retention.archiveCategory")}</Table.Th>
                  <Table.Th>{t("retention.archiveRange")}</Table.Th>
                  <Table.Th>{t("retention.archiveRows")}</Table.Th>
                  <Table.Th>{t("retention.archiveFile")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((row) => (
                  <Table.Tr key={row.id}>
                    <Table.Td>{format.dateTime(row.createdAt)}</Table.Td>
                    <Table.Td>
                      {t(`category.${row.category}`, { defaultValue: row.category })}
                      <Text size="xs" c="dimmed">
                        {t(`action.${row.action}`, { defaultValue: row.action })}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {row.rangeFrom
                        ? t("retention.range", {
                            from: format.date(row.rangeFrom),
                            to: format.date(row.rangeTo),
                          })
                        : t("retention.rangeFromStart", { to: format.date(row.rangeTo) })}
                    </Table.Td>
                    <Table.Td>{format.number(row.rows)}</Table.Td>
                    <Table.Td style={{ overflowWrap: "anywhere" }}>
                      {row.file ? (
                        <Stack gap={2}>
                          <Anchor
                            href={archiveFileUrl(orgId, row.id)}
                            download
                            aria-label={t("retention.downloadLabel", {
                              category: t(`category.${row.category}`, {
                                defaultValue: row.category,
                              }),
                              when: format.dateTime(row.createdAt),
                            })}
                            w="fit-content"
                          >
                            {t("retention.download")}
                          </Anchor>
                          <Text size="xs">
                            {t("retention.archiveFileSize", {
                              size: format.fileSize(row.file.size),
                              checksum: row.file.checksum.slice(0, 12),
                            })}
                          </Text>
                        </Stack>
                      ) : (
                        t("retention.noFile")
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
  );
}
