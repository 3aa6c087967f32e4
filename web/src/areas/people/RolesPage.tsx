import {
  Anchor,
  Badge,
  Button,
  Group,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { useRoles } from "../../api/people";
import { useRoleChange } from "../../api/roles";
import { OrganizationSelect, useChosenOrganization } from "../../app/OrganizationChoice";
import { useOrgPermission } from "../../app/permissions";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { KEY_PATTERN, keyFromName } from "../../ui/keys";
import { ListSection } from "../../ui/ListSection";
import { usePageTitle } from "../../ui/usePageTitle";

/**
 * An organization's roles (`/people/roles?org=…`): each role with its kind, reach and how
 * many hold it, linked to its editor. People with `roles:manage` create custom roles, which
 * start without permissions and open in the editor.
 */
export function RolesPage() {
  const { t } = useTranslation("people");
  usePageTitle(t("roles.title"));
  const choice = useChosenOrganization("roles:read");
  const { chosen } = choice;
  return (
    <Stack gap="md" maw={960}>
      <Anchor
        component={Link}
        to={`/people${chosen ? `?org=${chosen.organization.id}` : ""}`}
        w="fit-content"
      >
        {t("member.back")}
      </Anchor>
      <Title order={1}>{t("roles.title")}</Title>
      {!chosen ? (
        <Text>{t("roles.noOrganization")}</Text>
      ) : (
        <>
          <OrganizationSelect choice={choice} />
          <Text c="dimmed">{t("roles.intro")}</Text>
          <RoleList key={chosen.organization.id} orgId={chosen.organization.id} />
        </>
      )}
    </Stack>
  );
}

function RoleList({ orgId }: { orgId: string }) {
  const { t } = useTranslation("people");
  const me = useSignedInMe();
  const may = useOrgPermission(orgId);
  const roles = useRoles(me.user.id, orgId, true);
  return (
    <ListSection
      id="roles-list-heading"
      title={t("roles.heading")}
      done={null}
      error={null}
      query={roles}
      empty={{ title: t("roles.emptyTitle"), reason: t("roles.emptyReason") }}
      footer={may("roles:manage") && <NewRoleForm orgId={orgId} />}
    >
      {(data) => (
        <Table.ScrollContainer minWidth={0}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("roles.name")}</Table.Th>
                <Table.Th visibleFrom="sm">{t("roles.kind")}</Table.Th>
                <Table.Th>{t("roles.holders")}</Table.Th>
                <Table.Th visibleFrom="sm">{t("roles.permissionCount")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((role) => (
                <Table.Tr key={role.id}>
                  <Table.Td style={{ overflowWrap: "anywhere" }}>
                    <Anchor component={Link} to={`/people/roles/${role.id}?org=${orgId}`} fw={500}>
                      {role.name}
                    </Anchor>
                    <Text size="sm" c="dimmed">
                      {role.key}
                    </Text>
                  </Table.Td>
                  <Table.Td visibleFrom="sm">
                    <Badge variant="outline" color={role.isSystem ? "gray.8" : "blue.9"}>
                      {role.isSystem ? t("roles.builtIn") : t("roles.custom")}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{role.memberCount}</Table.Td>
                  <Table.Td visibleFrom="sm">{role.permissions.length}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </ListSection>
  );
}

function NewRoleForm({ orgId }: { orgId: string }) {
  const { t } = useTranslation("people");
  const me = useSignedInMe();
  const navigate = useNavigate();
  const create = useRoleChange(me.user.id, orgId);
  const [name, setName] = useState("");
  const [key, setKey] = useState<string | null>(null);
  const [description, setDescription] = useState("");
  const shownKey = key ?? keyFromName(name);
  const keyInvalid = shownKey !== "" && !KEY_PATTERN.test(shownKey);
  return (
    <form
      aria-labelledby="new-role-heading"
      onSubmit={(event) => {
        event.preventDefault();
        if (keyInvalid || !shownKey) return;
        create.mutate(
          {
            kind: "create",
            key: shownKey,
            name: name.trim(),
            description: description.trim() || null,
          },
          { onSuccess: (role) => role && navigate(`/people/roles/${role.id}?org=${orgId}`) },
        );
      }}
    >
      <Stack gap="sm">
        <Title order={3} size="h4" id="new-role-heading">
          {t("roles.new")}
        </Title>
        <Group align="flex-start" wrap="wrap" gap="sm">
          <TextInput
            label={t("roles.name")}
            required
            maxLength={200}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            w={{ base: "100%", xs: 260 }}
          />
          <TextInput
            label={t("roles.key")}
            description={t("roles.keyHint")}
            required
            maxLength={60}
            value={shownKey}
            onChange={(event) => setKey(event.currentTarget.value)}
            error={keyInvalid ? t("roles.keyInvalid") : undefined}
            w={{ base: "100%", xs: 260 }}
          />
        </Group>
        <Textarea
          label={t("roles.description")}
          maxLength={2000}
          autosize
          minRows={2}
          value={description}
          onChange={(event) => setDescription(event.currentTarget.value)}
        />
        {create.error && <ApiErrorAlert error={create.error} />}
        <Button type="submit" loading={create.isPending} w="fit-content">
          {t("roles.create")}
        </Button>
      </Stack>
    </form>
  );
}
