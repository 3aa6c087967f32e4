import { Button, Checkbox, Group, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Role } from "../../api/roles";
import { usePermissionCatalog, useRoleChange } from "../../api/roles";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { PageState } from "../../ui/PageState";
import { permissionDiff } from "./roles";

/** The scopes an organization's role can hold (`all` is the platform's). */
export const ORG_SCOPES = ["own", "assigned", "team", "department", "organization"] as const;

/**
 * A role's permissions as a matrix: one row per capability (`resource:action`), one column
 * per scope, a checkbox where the capability has that scope. Changes are kept here until
 * saved as the role's whole set (PUT …/permissions); keys the matrix does not show (the
 * platform's `all`) are kept as they are. The server refuses a set that would leave nobody
 * able to manage roles, and permissions the editor does not hold; the reason shows by the
 * save button and nothing changes.
 */
export function PermissionMatrix({
  orgId,
  role,
  editable,
}: {
  orgId: string;
  role: Role;
  editable: boolean;
}) {
  const { t } = useTranslation("people");
  const me = useSignedInMe();
  const catalog = usePermissionCatalog();
  const save = useRoleChange(me.user.id, orgId, role.id);
  const [chosen, setChosen] = useState(() => new Set(role.permissions));
  const [filter, setFilter] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const { added, removed } = permissionDiff(role.permissions, chosen);
  const changes = added.length + removed.length;
  const toggle = (key: string, on: boolean) => {
    setDone(null);
    const next = new Set(chosen);
    if (on) next.add(key);
    else next.delete(key);
    setChosen(next);
  };

  return (
    <Stack gap="sm" component="section" aria-labelledby="permissions-heading">
      <Title order={2} id="permissions-heading">
        {t("roles.permissions")}
      </Title>
      <Text size="sm" c="dimmed">
        {t("roles.permissionsHint")}
      </Text>
      <PageState query={catalog}>
        {(data) => {
          const needle = filter.trim().toLowerCase();
          const rows = data.capabilities
            .filter((c) => c.scopes.some((s) => (ORG_SCOPES as readonly string[]).includes(s)))
            .filter(
              (c) =>
                !needle ||
                c.description.toLowerCase().includes(needle) ||
                `${c.resource}:${c.action}`.includes(needle),
            );
          return (
            <Stack gap="sm">
              <TextInput
                type="search"
                label={t("roles.find")}
                description={t("roles.findHint")}
                value={filter}
                onChange={(event) => setFilter(event.currentTarget.value)}
                w={{ base: "100%", xs: 320 }}
              />
              <Table.ScrollContainer minWidth={640}>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t("roles.permission")}</Table.Th>
                      {ORG_SCOPES.map((scope) => (
                        <Table.Th key={scope} ta="center">
                          {t(`roles.scope.${scope}`)}
                        </Table.Th>
                      ))}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {rows.map((c) => (
                      <Table.Tr key={`${c.resource}:${c.action}`}>
                        <Table.Th scope="row" fw={400}>
                          <Text size="sm">{c.description}</Text>
                          <Text size="xs" c="dimmed">
                            {c.resource}:{c.action}
                          </Text>
                        </Table.Th>
                        {ORG_SCOPES.map((scope) => {
                          const key = `${c.resource}:${c.action}:${scope}`;
                          return (
                            <Table.Td key={scope} ta="center">
                              {c.scopes.includes(scope) && (
                                <Checkbox
                                  styles={{ body: { justifyContent: "center" } }}
                                  aria-label={t("roles.cell", {
                                    permission: c.description,
                                    scope: t(`roles.scope.${scope}`),
                                  })}
                                  checked={chosen.has(key)}
                                  disabled={!editable}
                                  onChange={(event) => toggle(key, event.currentTarget.checked)}
                                />
                              )}
                            </Table.Td>
                          );
                        })}
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Stack>
          );
        }}
      </PageState>
      {/* Kept in view at the bottom of the screen while the long matrix scrolls. */}
      <Stack
        gap="xs"
        py="xs"
        style={
          editable
            ? {
                position: "sticky",
                bottom: 0,
                zIndex: 2,
                background: "var(--mantine-color-body)",
                borderTop: "1px solid var(--mantine-color-default-border)",
              }
            : undefined
        }
      >
        <Text size="sm" role="status" aria-live="polite">
          {done ??
            (changes ? t("roles.pending", { added: added.length, removed: removed.length }) : "")}
        </Text>
        {save.error && <ApiErrorAlert error={save.error} />}
        {editable && (
          <Group gap="sm">
            <Button
              disabled={changes === 0}
              loading={save.isPending}
              onClick={() =>
                save.mutate(
                  { kind: "permissions", permissions: [...chosen].sort() },
                  {
                    onSuccess: (saved) => {
                      if (saved) setChosen(new Set(saved.permissions));
                      setDone(t("roles.saved"));
                    },
                  },
                )
              }
            >
              {t("roles.save", { count: changes })}
            </Button>
            <Button
              variant="default"
              disabled={changes === 0 || save.isPending}
              onClick={() => {
                save.reset();
                setChosen(new Set(role.permissions));
              }}
            >
              {t("roles.discard")}
            </Button>
          </Group>
        )}
      </Stack>
    </Stack>
  );
}
