import { Anchor, Badge, Button, Group, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { useComplianceChange, useRequirements } from "../../api/compliance";
import { useSignedInMe } from "../../app/RequireAuth";
import { EmptyState } from "../../ui/EmptyState";
import { PageState } from "../../ui/PageState";
import { ComplianceFrame } from "./ComplianceFrame";
import { emptyRequirementForm, requirementInput } from "./forms";
import { RequirementFormDialog } from "./RequirementFormDialog";

/**
 * The organization's compliance requirements (`/compliance/requirements?org=…`): each with
 * its type, jurisdiction and whether it is enforced. Those who manage compliance add one and
 * go on to its page to say who must meet it.
 */
export function RequirementsPage() {
  const { t } = useTranslation("compliance");
  return (
    <ComplianceFrame title={t("requirements.title")}>
      {(orgId, canManage) => <Requirements orgId={orgId} canManage={canManage} />}
    </ComplianceFrame>
  );
}

function Requirements({ orgId, canManage }: { orgId: string; canManage: boolean }) {
  const { t } = useTranslation("compliance");
  const me = useSignedInMe();
  const navigate = useNavigate();
  const list = useRequirements(me.user.id, orgId);
  const change = useComplianceChange(me.user.id);
  const [creating, setCreating] = useState(false);
  const create = canManage ? (
    <Button
      onClick={() => {
        change.reset();
        setCreating(true);
      }}
    >
      {t("requirements.create")}
    </Button>
  ) : undefined;
  return (
    <Stack gap="sm" component="section" aria-labelledby="requirements-heading">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={2} id="requirements-heading">
          {t("requirements.heading")}
        </Title>
        {create}
      </Group>
      <Text size="sm" c="dimmed">
        {t("requirements.intro")}
      </Text>
      <PageState
        query={list}
        pending={<Skeleton height={160} radius="md" />}
        isEmpty={(rows) => rows.length === 0}
        empty={
          <EmptyState
            headingLevel={3}
            title={t("requirements.emptyTitle")}
            reason={canManage ? t("requirements.emptyReason") : t("requirements.emptyReadOnly")}
          />
        }
      >
        {(rows) => (
          <Table.ScrollContainer minWidth={0}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("requirements.name")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("requirements.type")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("requirements.jurisdiction")}</Table.Th>
                  <Table.Th>{t("requirements.state")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td style={{ overflowWrap: "anywhere" }}>
                      <Anchor
                        component={Link}
                        to={`/compliance/requirements/${r.id}?org=${orgId}`}
                        fw={500}
                      >
                        {r.name}
                      </Anchor>
                      {r.code && (
                        <Text size="xs" c="dimmed">
                          {r.code}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td visibleFrom="sm">{t(`type.${r.complianceType}`)}</Table.Td>
                    <Table.Td visibleFrom="sm">{r.jurisdiction}</Table.Td>
                    <Table.Td>
                      <Badge variant="dot" color={r.isActive ? "teal" : "gray"}>
                        {r.isActive ? t("requirements.active") : t("requirements.inactive")}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </PageState>
      {creating && (
        <RequirementFormDialog
          orgId={orgId}
          title={t("requirements.newTitle")}
          submit={t("requirements.create")}
          initial={emptyRequirementForm()}
          busy={change.isPending}
          error={change.error}
          onClose={() => setCreating(false)}
          onSubmit={(form) =>
            change.mutate(
              { kind: "create-requirement", orgId, input: requirementInput(form) },
              {
                onSuccess: ({ requirement }) => {
                  setCreating(false);
                  if (requirement)
                    navigate(`/compliance/requirements/${requirement.id}?org=${orgId}`);
                },
              },
            )
          }
        />
      )}
    </Stack>
  );
}
