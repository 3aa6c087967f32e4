import {
  Badge,
  Button,
  Group,
  Modal,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type ExemptionView,
  useComplianceChange,
  useExemptions,
  useRequirements,
} from "../../api/compliance";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { endOfDay } from "../../ui/days";
import { EmptyState } from "../../ui/EmptyState";
import { FilterSelect } from "../../ui/FilterSelect";
import { PageState } from "../../ui/PageState";
import { PersonSelect } from "../../ui/PersonSelect";
import { usePageParams } from "../../ui/usePageParams";
import { ComplianceFrame } from "./ComplianceFrame";
import { exemptionState } from "./forms";

const STATE_COLOR = { active: "teal", ended: "gray", revoked: "red" } as const;

/**
 * Exemptions from compliance requirements (`/compliance/exemptions?org=…`): who, from
 * what, why, approved by whom and until when. Those who manage compliance grant one (the
 * person is then neither assigned nor reminded) and revoke it (assigned again on the next
 * evaluation).
 */
export function ExemptionsPage() {
  const { t } = useTranslation("compliance");
  return (
    <ComplianceFrame title={t("exemptions.title")}>
      {(orgId, canManage) => <Exemptions orgId={orgId} canManage={canManage} />}
    </ComplianceFrame>
  );
}

function Exemptions({ orgId, canManage }: { orgId: string; canManage: boolean }) {
  const { t } = useTranslation("compliance");
  const me = useSignedInMe();
  const format = useFormat();
  const params = usePageParams();
  const shown = params.get("show");
  const active = shown === "ended" ? false : shown === "all" ? null : true;
  const list = useExemptions(me.user.id, orgId, active);
  const change = useComplianceChange(me.user.id);
  const [granting, setGranting] = useState(false);
  const [revoking, setRevoking] = useState<ExemptionView | null>(null);
  const [done, setDone] = useState("");
  return (
    <Stack gap="sm" component="section" aria-labelledby="exemptions-heading">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={2} id="exemptions-heading">
          {t("exemptions.heading")}
        </Title>
        {canManage && (
          <Button
            onClick={() => {
              change.reset();
              setGranting(true);
            }}
          >
            {t("exemptions.grant")}
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        {t("exemptions.intro")}
      </Text>
      <FilterSelect
        label={t("exemptions.show")}
        any={t("exemptions.showActive")}
        options={[
          { value: "ended", label: t("exemptions.showEnded") },
          { value: "all", label: t("exemptions.showAll") },
        ]}
        value={shown === "ended" || shown === "all" ? shown : null}
        onChange={(v) => params.set("show", v)}
        w={{ base: "100%", sm: 240 }}
      />
      <Text size="sm" role="status" aria-live="polite">
        {done}
      </Text>
      {!granting && !revoking && change.isError && <ApiErrorAlert error={change.error} />}
      <PageState
        query={list}
        pending={<Skeleton height={160} radius="md" />}
        isEmpty={(rows) => rows.length === 0}
        empty={
          <EmptyState
            headingLevel={3}
            title={t("exemptions.emptyTitle")}
            reason={t("exemptions.emptyReason")}
          />
        }
      >
        {(rows) => (
          <Table.ScrollContainer minWidth={0}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("exemptions.person")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("exemptions.reason")}</Table.Th>
                  <Table.Th>{t("exemptions.state")}</Table.Th>
                  <Table.Th visibleFrom="md">{t("exemptions.approver")}</Table.Th>
                  {canManage && <Table.Th>{t("exemptions.actions")}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((x) => {
                  const state = exemptionState(x);
                  return (
                    <Table.Tr key={x.id}>
                      <Table.Td style={{ overflowWrap: "anywhere" }}>
                        <Text size="sm" fw={500}>
                          {x.personName}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {x.requirementName}
                        </Text>
                        <Text size="xs" hiddenFrom="sm">
                          {x.reason}
                        </Text>
                      </Table.Td>
                      <Table.Td visibleFrom="sm" style={{ overflowWrap: "anywhere" }}>
                        {x.reason}
                      </Table.Td>
                      <Table.Td>
                        <Badge
                          variant="dot"
                          color={STATE_COLOR[state]}
                          style={{ whiteSpace: "nowrap" }}
                        >
                          {t(`exemptions.stateName.${state}`)}
                        </Badge>
                        <Text size="xs" mt={4}>
                          {x.revokedAt
                            ? t("exemptions.revokedOn", { date: format.date(x.revokedAt) })
                            : x.expiresAt
                              ? t("exemptions.until", { date: format.date(x.expiresAt) })
                              : t("exemptions.noEnd")}
                        </Text>
                      </Table.Td>
                      <Table.Td visibleFrom="md">{x.approverName ?? "—"}</Table.Td>
                      {canManage && (
                        <Table.Td>
                          {state === "active" && (
                            <Button
                              size="compact-sm"
                              variant="default"
                              c="red.9"
                              aria-label={t("exemptions.revokeNamed", {
                                person: x.personName,
                                requirement: x.requirementName,
                              })}
                              onClick={() => {
                                change.reset();
                                setRevoking(x);
                              }}
                            >
                              {t("exemptions.revoke")}
                            </Button>
                          )}
                        </Table.Td>
                      )}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </PageState>
      {granting && (
        <GrantDialog
          orgId={orgId}
          busy={change.isPending}
          error={change.error}
          onClose={() => setGranting(false)}
          onSubmit={(input) =>
            change.mutate(
              { kind: "grant-exemption", orgId, input },
              {
                onSuccess: () => {
                  setGranting(false);
                  setDone(t("exemptions.done.grant"));
                },
              },
            )
          }
        />
      )}
      {revoking && (
        <ConfirmDialog
          title={t("exemptions.revokeTitle")}
          text={t("exemptions.revokeText", {
            person: revoking.personName,
            requirement: revoking.requirementName,
          })}
          confirm={t("exemptions.revoke")}
          busy={change.isPending}
          onClose={() => setRevoking(null)}
          onConfirm={() =>
            change.mutate(
              { kind: "revoke-exemption", id: revoking.id },
              {
                onSuccess: () => {
                  setRevoking(null);
                  setDone(t("exemptions.done.revoke"));
                },
                onError: () => setRevoking(null),
              },
            )
          }
        />
      )}
    </Stack>
  );
}

function GrantDialog({
  orgId,
  busy,
  error,
  onSubmit,
  onClose,
}: {
  orgId: string;
  busy: boolean;
  error: unknown;
  onSubmit: (input: {
    requirementId: string;
    userId: string;
    reason: string;
    expiresAt: string | null;
  }) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation("compliance");
  const me = useSignedInMe();
  const requirements = useRequirements(me.user.id, orgId);
  const [userId, setUserId] = useState<string | null>(null);
  const [requirementId, setRequirementId] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [until, setUntil] = useState("");
  const [checked, setChecked] = useState(false);
  const required = (ok: boolean) => (checked && !ok ? t("form.required") : undefined);
  return (
    <Modal
      opened
      size="lg"
      onClose={() => !busy && onClose()}
      title={t("exemptions.grantTitle")}
      closeOnClickOutside={!busy}
      closeButtonProps={{ "aria-label": t("form.cancel") }}
    >
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setChecked(true);
          if (!userId || !requirementId || !reason.trim()) return;
          onSubmit({
            userId,
            requirementId,
            reason: reason.trim(),
            expiresAt: until ? endOfDay(until) : null,
          });
        }}
      >
        <Stack gap="sm">
          <PersonSelect
            orgId={orgId}
            label={t("exemptions.person")}
            required
            value={userId}
            onChange={setUserId}
            error={required(Boolean(userId))}
          />
          <Select
            label={t("exemptions.requirement")}
            required
            searchable
            data={(requirements.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
            value={requirementId}
            onChange={setRequirementId}
            error={required(Boolean(requirementId))}
            nothingFoundMessage={t("exemptions.noRequirements")}
          />
          <Textarea
            label={t("exemptions.reason")}
            required
            autosize
            minRows={2}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={required(Boolean(reason.trim()))}
          />
          <TextInput
            type="date"
            label={t("exemptions.untilLabel")}
            description={t("exemptions.untilHelp")}
            value={until}
            onChange={(e) => setUntil(e.currentTarget.value)}
          />
          {error ? <ApiErrorAlert error={error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={busy}>
              {t("form.cancel")}
            </Button>
            <Button type="submit" loading={busy}>
              {t("exemptions.grant")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
