import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Skeleton,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { type Role, useRole, useRoleChange } from "../../api/roles";
import { useChosenOrganization } from "../../app/OrganizationChoice";
import { useOrgPermission } from "../../app/permissions";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { PermissionMatrix } from "./PermissionMatrix";

/**
 * One role (`/people/roles/:roleId?org=…`): its name and description, its permissions as a
 * matrix of capabilities and scopes, and, for people with `roles:manage`, the changes: the
 * matrix saved as a whole, a built-in role reset to its defaults, a custom role deleted. The
 * guards the server keeps are explained above the matrix.
 */
export function RolePage() {
  const { t } = useTranslation("people");
  const { roleId = "" } = useParams();
  const { chosen } = useChosenOrganization("roles:read");
  const orgId = chosen?.organization.id ?? "";
  return (
    <Stack gap="md" maw={1100}>
      <Anchor component={Link} to={`/people/roles${orgId ? `?org=${orgId}` : ""}`} w="fit-content">
        {t("roles.back")}
      </Anchor>
      {orgId ? (
        <RoleEditor orgId={orgId} roleId={roleId} />
      ) : (
        <>
          <Title order={1}>{t("roles.title")}</Title>
          <Text>{t("roles.noOrganization")}</Text>
        </>
      )}
    </Stack>
  );
}

function RoleEditor({ orgId, roleId }: { orgId: string; roleId: string }) {
  const { t } = useTranslation("people");
  const me = useSignedInMe();
  const may = useOrgPermission(orgId);
  const role = useRole(me.user.id, orgId, roleId);
  const manage = may("roles:manage");
  // A reset replaces the permissions from outside the matrix: it starts again from them.
  const [resets, setResets] = useState(0);
  usePageTitle(role.data?.name ?? t("roles.title"));
  return (
    <PageState
      query={role}
      pending={
        <Stack>
          <Title order={1}>{t("roles.title")}</Title>
          <Skeleton height={300} radius="md" />
        </Stack>
      }
    >
      {(data) => (
        <Stack gap="lg">
          <Stack gap={4}>
            <Title order={1} style={{ overflowWrap: "anywhere" }}>
              {data.name}
            </Title>
            <Group gap="sm" wrap="wrap">
              <Text c="dimmed">{data.key}</Text>
              <Badge variant="outline" color={data.isSystem ? "gray.8" : "blue.9"}>
                {data.isSystem ? t("roles.builtIn") : t("roles.custom")}
              </Badge>
              <Text size="sm">{t("roles.heldBy", { count: data.memberCount })}</Text>
            </Group>
          </Stack>
          {manage && <RoleDetails key={data.updatedAt} orgId={orgId} role={data} />}
          {!manage && data.description && <Text>{data.description}</Text>}
          <Alert color="blue" variant="light" title={t("roles.guardTitle")}>
            <Text size="sm">{t("roles.guardLockout")}</Text>
            <Text size="sm">{t("roles.guardHeld")}</Text>
          </Alert>
          <PermissionMatrix
            key={`${data.id}-${resets}`}
            orgId={orgId}
            role={data}
            editable={manage}
          />
          {manage && (
            <RoleDanger orgId={orgId} role={data} onReset={() => setResets((n) => n + 1)} />
          )}
        </Stack>
      )}
    </PageState>
  );
}

function RoleDetails({ orgId, role }: { orgId: string; role: Role }) {
  const { t } = useTranslation("people");
  const me = useSignedInMe();
  const change = useRoleChange(me.user.id, orgId, role.id);
  const [name, setName] = useState(role.name);
  const [description, setDescription] = useState(role.description ?? "");
  const [saved, setSaved] = useState(false);
  const changed = name.trim() !== role.name || (description.trim() || null) !== role.description;
  return (
    <form
      aria-labelledby="role-details-heading"
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(false);
        change.mutate(
          { kind: "describe", name: name.trim(), description: description.trim() || null },
          { onSuccess: () => setSaved(true) },
        );
      }}
    >
      <Stack gap="sm">
        <Title order={2} id="role-details-heading">
          {t("roles.details")}
        </Title>
        <TextInput
          label={t("roles.name")}
          required
          maxLength={200}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          maw={420}
        />
        <Textarea
          label={t("roles.description")}
          maxLength={2000}
          autosize
          minRows={2}
          value={description}
          onChange={(event) => setDescription(event.currentTarget.value)}
        />
        {change.error && <ApiErrorAlert error={change.error} />}
        <Group gap="sm">
          <Button type="submit" disabled={!changed} loading={change.isPending}>
            {t("member.save")}
          </Button>
          <Text size="sm" role="status" aria-live="polite">
            {saved && !changed ? t("member.saved") : ""}
          </Text>
        </Group>
      </Stack>
    </form>
  );
}

/** Reset (a built-in role) or delete (a custom one), each after a confirmation. */
function RoleDanger({ orgId, role, onReset }: { orgId: string; role: Role; onReset: () => void }) {
  const { t } = useTranslation("people");
  const me = useSignedInMe();
  const navigate = useNavigate();
  const change = useRoleChange(me.user.id, orgId, role.id);
  const [asking, setAsking] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const kind = role.isSystem ? "reset" : "delete";
  return (
    <Stack gap="sm" component="section" aria-labelledby="role-danger-heading">
      <Title order={2} id="role-danger-heading">
        {role.isSystem ? t("roles.resetHeading") : t("roles.deleteHeading")}
      </Title>
      <Text size="sm">
        {role.isSystem ? t("roles.resetText") : t("roles.deleteText", { count: role.memberCount })}
      </Text>
      <Text size="sm" role="status" aria-live="polite">
        {done ?? ""}
      </Text>
      {change.error && <ApiErrorAlert error={change.error} />}
      <Button
        variant="outline"
        color="red.9"
        w="fit-content"
        onClick={() => {
          change.reset();
          setDone(null);
          setAsking(true);
        }}
      >
        {role.isSystem ? t("roles.reset") : t("roles.delete")}
      </Button>
      {asking && (
        <ConfirmDialog
          title={t(role.isSystem ? "roles.resetConfirmTitle" : "roles.deleteConfirmTitle", {
            name: role.name,
          })}
          text={
            role.isSystem
              ? t("roles.resetText")
              : t("roles.deleteText", { count: role.memberCount })
          }
          confirm={role.isSystem ? t("roles.reset") : t("roles.delete")}
          busy={change.isPending}
          onClose={() => setAsking(false)}
          onConfirm={() =>
            change.mutate(
              { kind },
              {
                onSuccess: () => {
                  setAsking(false);
                  if (kind === "delete") navigate(`/people/roles?org=${orgId}`);
                  else {
                    onReset();
                    setDone(t("roles.resetDone"));
                  }
                },
                onError: () => setAsking(false),
              },
            )
          }
        />
      )}
    </Stack>
  );
}
