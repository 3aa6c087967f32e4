import { Button, Group, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type ComplianceRule,
  type Requirement,
  useComplianceChange,
  useRules,
} from "../../api/compliance";
import { useDepartments, useRoles, useTeams } from "../../api/people";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { EmptyState } from "../../ui/EmptyState";
import { PageState } from "../../ui/PageState";
import { changedFields, emptyRuleForm, ruleForm, ruleInput } from "./forms";
import { RuleFormDialog } from "./RuleFormDialog";

/**
 * The rules of a requirement: who must meet it and what their due date counts from. Those
 * who manage compliance add, change and delete them; people are assigned (or marked out of
 * scope) on the next evaluation.
 */
export function RulesSection({
  requirement,
  canManage,
  onDone,
}: {
  requirement: Requirement;
  canManage: boolean;
  onDone: (message: string) => void;
}) {
  const { t } = useTranslation("compliance");
  const me = useSignedInMe();
  const format = useFormat();
  const orgId = requirement.organizationId;
  const rules = useRules(me.user.id, requirement.id);
  const change = useComplianceChange(me.user.id);
  const [editing, setEditing] = useState<ComplianceRule | "new" | null>(null);
  const [deleting, setDeleting] = useState<ComplianceRule | null>(null);
  const list = rules.data ?? [];
  const departments = useDepartments(
    me.user.id,
    orgId,
    list.some((r) => r.scope === "department"),
  );
  const teams = useTeams(me.user.id, orgId);
  const roles = useRoles(
    me.user.id,
    orgId,
    list.some((r) => r.scope === "role"),
  );
  const nameOf = (items: Array<{ id: string; name: string }> | undefined, id: string | null) =>
    items?.find((i) => i.id === id)?.name ?? t("rules.unknown");

  const who = (rule: ComplianceRule): string => {
    switch (rule.scope) {
      case "everyone":
        return t("rules.who.everyone");
      case "department":
        return t("rules.who.department", {
          name: nameOf(departments.data?.items, rule.departmentId),
        });
      case "team":
        return t("rules.who.team", { name: nameOf(teams.data?.items, rule.teamId) });
      case "role":
        return t("rules.who.role", {
          name: roles.data?.items.find((r) => r.key === rule.roleKey)?.name ?? rule.roleKey,
        });
      case "location":
        return t("rules.who.location", { name: rule.location });
      case "hire-date":
        return t("rules.who.hired", {
          from: rule.hiredFrom ? format.date(rule.hiredFrom) : "…",
          to: rule.hiredTo ? format.date(rule.hiredTo) : "…",
        });
    }
  };
  const when = (rule: ComplianceRule): string =>
    rule.trigger === "fixed-date" && rule.fixedDate
      ? t("rules.when.fixed", { count: requirement.dueDays, date: format.date(rule.fixedDate) })
      : t(`rules.when.${rule.trigger}`, { count: requirement.dueDays });

  return (
    <Stack gap="sm" component="section" aria-labelledby="rules-heading">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={2} id="rules-heading">
          {t("rules.heading")}
        </Title>
        {canManage && (
          <Button
            onClick={() => {
              change.reset();
              setEditing("new");
            }}
          >
            {t("rules.add")}
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        {t("rules.intro")}
      </Text>
      <PageState
        query={rules}
        pending={<Skeleton height={100} radius="md" />}
        isEmpty={(rows) => rows.length === 0}
        empty={
          <EmptyState
            headingLevel={3}
            title={t("rules.emptyTitle")}
            reason={t("rules.emptyReason")}
          />
        }
      >
        {(rows) => (
          <Table.ScrollContainer minWidth={0}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("rules.whoHeading")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("rules.whenHeading")}</Table.Th>
                  {canManage && <Table.Th>{t("rules.actions")}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((rule) => (
                  <Table.Tr key={rule.id}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {who(rule)}
                      </Text>
                      <Text size="xs" hiddenFrom="sm">
                        {when(rule)}
                      </Text>
                    </Table.Td>
                    <Table.Td visibleFrom="sm">{when(rule)}</Table.Td>
                    {canManage && (
                      <Table.Td>
                        <Group gap="xs" wrap="wrap">
                          <Button
                            size="compact-sm"
                            variant="default"
                            aria-label={t("rules.editNamed", { name: who(rule) })}
                            onClick={() => {
                              change.reset();
                              setEditing(rule);
                            }}
                          >
                            {t("rules.edit")}
                          </Button>
                          <Button
                            size="compact-sm"
                            variant="default"
                            c="red.9"
                            aria-label={t("rules.deleteNamed", { name: who(rule) })}
                            onClick={() => {
                              change.reset();
                              setDeleting(rule);
                            }}
                          >
                            {t("rules.delete")}
                          </Button>
                        </Group>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </PageState>
      {editing && (
        <RuleFormDialog
          orgId={orgId}
          title={editing === "new" ? t("rules.newTitle") : t("rules.editTitle")}
          submit={editing === "new" ? t("rules.add") : t("rules.save")}
          initial={editing === "new" ? emptyRuleForm() : ruleForm(editing)}
          busy={change.isPending}
          error={change.error}
          onClose={() => setEditing(null)}
          onSubmit={(form) => {
            if (editing === "new") {
              change.mutate(
                { kind: "create-rule", requirementId: requirement.id, input: ruleInput(form) },
                {
                  onSuccess: () => {
                    setEditing(null);
                    onDone(t("rules.done.add"));
                  },
                },
              );
              return;
            }
            const input = changedFields(ruleInput(ruleForm(editing)), ruleInput(form));
            if (Object.keys(input).length === 0) {
              setEditing(null);
              onDone(t("rules.done.unchanged"));
              return;
            }
            change.mutate(
              { kind: "update-rule", id: editing.id, input },
              {
                onSuccess: () => {
                  setEditing(null);
                  onDone(t("rules.done.edit"));
                },
              },
            );
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={t("rules.deleteTitle")}
          text={t("rules.deleteText", { name: who(deleting) })}
          confirm={t("rules.delete")}
          busy={change.isPending}
          onClose={() => setDeleting(null)}
          onConfirm={() =>
            change.mutate(
              { kind: "delete-rule", id: deleting.id },
              {
                onSuccess: () => {
                  setDeleting(null);
                  onDone(t("rules.done.delete"));
                },
                onError: () => setDeleting(null),
              },
            )
          }
        />
      )}
      {!editing && change.isError && <ApiErrorAlert error={change.error} />}
    </Stack>
  );
}
