import {
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { courseQuery } from "../../api/catalog";
import {
  type Requirement,
  useComplianceAssignments,
  useComplianceChange,
  useRequirement,
} from "../../api/compliance";
import { useOrgPermission } from "../../app/permissions";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { EmptyState } from "../../ui/EmptyState";
import { LabelledPagination } from "../../ui/LabelledPagination";
import { Loading, PageState } from "../../ui/PageState";
import { useMemberName } from "../../ui/PersonSelect";
import { usePageTitle } from "../../ui/usePageTitle";
import { changedFields, requirementForm, requirementInput } from "./forms";
import { RequirementFormDialog } from "./RequirementFormDialog";
import { RulesSection } from "./RulesSection";

/**
 * A compliance requirement (`/compliance/requirements/:requirementId`): its configuration,
 * the rules that say who must meet it, and everyone assigned to it, cycle by cycle. Those
 * who manage compliance change it, switch it off and on, or delete it while nobody was
 * assigned.
 */
export function RequirementPage() {
  const { t } = useTranslation("compliance");
  const { requirementId = "" } = useParams();
  const me = useSignedInMe();
  const requirement = useRequirement(me.user.id, requirementId);
  usePageTitle(requirement.data?.name ?? t("requirement.title"));
  return (
    <Stack gap="md" maw={1100}>
      <PageState
        query={requirement}
        pending={
          <>
            <Title order={1}>{t("requirement.title")}</Title>
            <Loading />
          </>
        }
      >
        {(data) => <RequirementView requirement={data} />}
      </PageState>
    </Stack>
  );
}

function RequirementView({ requirement }: { requirement: Requirement }) {
  const { t } = useTranslation("compliance");
  const me = useSignedInMe();
  const navigate = useNavigate();
  const orgId = requirement.organizationId;
  const canManage = useOrgPermission(orgId)("compliance:manage");
  const change = useComplianceChange(me.user.id);
  const [dialog, setDialog] = useState<"edit" | "delete" | null>(null);
  const [done, setDone] = useState("");
  const toggle = () =>
    change.mutate(
      {
        kind: "update-requirement",
        id: requirement.id,
        input: { isActive: !requirement.isActive },
      },
      {
        onSuccess: () =>
          setDone(requirement.isActive ? t("requirement.done.off") : t("requirement.done.on")),
      },
    );
  return (
    <>
      <Anchor component={Link} to={`/compliance/requirements?org=${orgId}`} size="sm">
        {t("requirement.back")}
      </Anchor>
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={4}>
          <Title order={1} style={{ overflowWrap: "anywhere" }}>
            {requirement.name}
          </Title>
          <Group gap="xs">
            <Badge variant="dot" color={requirement.isActive ? "teal" : "gray"}>
              {requirement.isActive ? t("requirements.active") : t("requirements.inactive")}
            </Badge>
            {requirement.code && <Text size="sm">{requirement.code}</Text>}
          </Group>
        </Stack>
        {canManage && (
          <Group gap="xs" wrap="wrap">
            <Button
              variant="default"
              onClick={() => {
                change.reset();
                setDialog("edit");
              }}
            >
              {t("requirement.edit")}
            </Button>
            <Button variant="default" onClick={toggle} loading={change.isPending && !dialog}>
              {requirement.isActive ? t("requirement.deactivate") : t("requirement.activate")}
            </Button>
            <Button
              variant="default"
              c="red.9"
              onClick={() => {
                change.reset();
                setDialog("delete");
              }}
            >
              {t("requirement.delete")}
            </Button>
          </Group>
        )}
      </Group>
      <Text size="sm" role="status" aria-live="polite">
        {done}
      </Text>
      {!dialog && change.isError && <ApiErrorAlert error={change.error} />}
      <Details requirement={requirement} />
      <RulesSection requirement={requirement} canManage={canManage} onDone={setDone} />
      <Assignments requirement={requirement} />
      {dialog === "edit" && (
        <RequirementFormDialog
          orgId={orgId}
          title={t("requirement.editTitle")}
          submit={t("requirement.save")}
          initial={requirementForm(requirement)}
          busy={change.isPending}
          error={change.error}
          onClose={() => setDialog(null)}
          onSubmit={(form) => {
            const input = changedFields(
              requirementInput(requirementForm(requirement)),
              requirementInput(form),
            );
            if (Object.keys(input).length === 0) {
              setDialog(null);
              setDone(t("requirement.done.unchanged"));
              return;
            }
            change.mutate(
              { kind: "update-requirement", id: requirement.id, input },
              {
                onSuccess: () => {
                  setDialog(null);
                  setDone(t("requirement.done.edit"));
                },
              },
            );
          }}
        />
      )}
      {dialog === "delete" && (
        <ConfirmDialog
          title={t("requirement.deleteTitle")}
          text={t("requirement.deleteText", { name: requirement.name })}
          confirm={t("requirement.delete")}
          busy={change.isPending}
          onClose={() => setDialog(null)}
          onConfirm={() =>
            change.mutate(
              { kind: "delete-requirement", id: requirement.id },
              {
                onSuccess: () => navigate(`/compliance/requirements?org=${orgId}`),
                onError: () => setDialog(null),
              },
            )
          }
        />
      )}
    </>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="sm" fw={700} component="dt">
        {label}
      </Text>
      <Text
        size="sm"
        component="dd"
        m={0}
        style={{ overflowWrap: "anywhere", whiteSpace: "pre-line" }}
      >
        {children}
      </Text>
    </div>
  );
}

function Details({ requirement: r }: { requirement: Requirement }) {
  const { t } = useTranslation("compliance");
  const me = useSignedInMe();
  const format = useFormat();
  const course = useQuery(courseQuery(me.user.id, r.courseId));
  const none = t("requirement.none");
  const officer = useMemberName(r.organizationId, r.complianceOfficerUserId);
  const days = (n: number | null, never = none) =>
    n === null ? never : t("requirement.days", { count: n });
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="details-heading">
      <Title order={2} size="h3" id="details-heading" mb="sm">
        {t("requirement.details")}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} component="dl" m={0}>
        <Field label={t("form.course")}>
          {course.data ? (
            <Anchor component={Link} to={`/courses/${r.courseId}`}>
              {course.data.course.title}
            </Anchor>
          ) : (
            t("requirement.courseUnknown")
          )}
        </Field>
        <Field label={t("form.complianceType")}>{t(`type.${r.complianceType}`)}</Field>
        <Field label={t("form.jurisdiction")}>{r.jurisdiction}</Field>
        <Field label={t("form.auditFrequency")}>{t(`frequency.${r.auditFrequency}`)}</Field>
        <Field label={t("form.retentionDays")}>{days(r.retentionDays)}</Field>
        <Field label={t("form.dueDays")}>{days(r.dueDays)}</Field>
        <Field label={t("form.recurrenceMonths")}>
          {r.recurrenceMonths === null
            ? t("requirement.once")
            : t("requirement.months", { count: r.recurrenceMonths })}
        </Field>
        <Field label={t("form.recertificationWindowDays")}>
          {days(r.recertificationWindowDays)}
        </Field>
        <Field label={t("form.reminderOffsetsDays")}>
          {r.reminderOffsetsDays.length
            ? r.reminderOffsetsDays.map((d) => format.number(d)).join(", ")
            : none}
        </Field>
        <Field label={t("form.overdueReminderDays")}>{days(r.overdueReminderDays)}</Field>
        <Field label={t("form.managerEscalationDays")}>
          {days(r.managerEscalationDays, t("requirement.never"))}
        </Field>
        <Field label={t("form.officerEscalationDays")}>
          {days(r.officerEscalationDays, t("requirement.never"))}
        </Field>
        <Field label={t("form.complianceOfficer")}>
          {r.complianceOfficerUserId ? (officer ?? t("requirement.officerSet")) : none}
        </Field>
        {r.description && <Field label={t("form.description")}>{r.description}</Field>}
        {r.requirements && <Field label={t("form.requirements")}>{r.requirements}</Field>}
        {r.certificationRequirements && (
          <Field label={t("form.certificationRequirements")}>{r.certificationRequirements}</Field>
        )}
      </SimpleGrid>
    </Paper>
  );
}

function Assignments({ requirement }: { requirement: Requirement }) {
  const { t } = useTranslation("compliance");
  const me = useSignedInMe();
  const format = useFormat();
  const [page, setPage] = useState(1);
  const list = useComplianceAssignments(
    me.user.id,
    requirement.organizationId,
    requirement.id,
    page,
  );
  return (
    <Stack gap="sm" component="section" aria-labelledby="assignments-heading">
      <Title order={2} id="assignments-heading">
        {t("assignments.heading")}
      </Title>
      <PageState
        query={list}
        pending={<Skeleton height={120} radius="md" />}
        isEmpty={(data) => data.items.length === 0}
        empty={
          <EmptyState
            headingLevel={3}
            title={t("assignments.emptyTitle")}
            reason={t("assignments.emptyReason")}
          />
        }
      >
        {(data) => (
          <>
            <Table.ScrollContainer minWidth={0}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("assignments.person")}</Table.Th>
                    <Table.Th>{t("assignments.state")}</Table.Th>
                    <Table.Th visibleFrom="sm">{t("assignments.due")}</Table.Th>
                    <Table.Th visibleFrom="md">{t("assignments.completed")}</Table.Th>
                    <Table.Th visibleFrom="md">{t("assignments.reminders")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((a) => (
                    <Table.Tr key={a.id}>
                      <Table.Td>
                        <Text size="sm" fw={500}>
                          {a.person.name}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {t("assignments.cycle", { cycle: a.cycle })}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge
                          variant="dot"
                          color={
                            a.status === "completed"
                              ? "teal"
                              : a.status === "open"
                                ? "indigo"
                                : "gray"
                          }
                          style={{ whiteSpace: "nowrap" }}
                        >
                          {t(`assignments.status.${a.status}`)}
                        </Badge>
                        <Text size="xs" hiddenFrom="sm" mt={4}>
                          {t("dashboard.dueOn", { date: format.date(a.dueAt) })}
                        </Text>
                      </Table.Td>
                      <Table.Td visibleFrom="sm">{format.date(a.dueAt)}</Table.Td>
                      <Table.Td visibleFrom="md">
                        {a.completedAt ? format.date(a.completedAt) : "—"}
                      </Table.Td>
                      <Table.Td visibleFrom="md">{format.number(a.reminders.length)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <LabelledPagination
              total={data.meta?.pagination.totalPages ?? 1}
              value={page}
              onChange={setPage}
            />
          </>
        )}
      </PageState>
    </Stack>
  );
}
