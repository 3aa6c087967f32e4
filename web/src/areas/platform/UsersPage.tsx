import { Badge, Button, Stack, Table, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type AccountStatus, useAccountStatus, usePlatformUsers } from "../../api/platform";
import { holdsKey } from "../../app/permissions";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { FilterRow } from "../../ui/FilterRow";
import { FilterSelect } from "../../ui/FilterSelect";
import { PagedList } from "../../ui/PagedList";
import { SearchFilter } from "../../ui/SearchFilter";
import { usePageParams } from "../../ui/usePageParams";
import { PlatformFrame } from "./PlatformFrame";

const STATUSES: readonly AccountStatus[] = ["active", "suspended", "deactivated"];
const STATUS_COLOR: Record<AccountStatus, string> = {
  active: "teal.9",
  suspended: "red.9",
  deactivated: "gray.8",
};

/** Every account (`/platform/users`): search, status, and suspending or reactivating one. */
export function UsersPage() {
  const { t } = useTranslation("platform");
  return (
    <PlatformFrame title={t("users.title")} permission="users:read">
      <Users />
    </PlatformFrame>
  );
}

function Users() {
  const { t } = useTranslation("platform");
  const me = useSignedInMe();
  const format = useFormat();
  const params = usePageParams();
  const status = STATUSES.find((s) => s === params.get("status")) ?? null;
  const users = usePlatformUsers(me.user.id, params.page, params.get("q") ?? "", status);
  const change = useAccountStatus(me.user.id);
  const maySuspend = holdsKey(me.platformPermissions, "users:suspend", ["all"]);
  const [asking, setAsking] = useState<{ id: string; name: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const act = (id: string, name: string, next: "active" | "suspended") =>
    change.mutate(
      { userId: id, status: next, reason: null },
      {
        onSuccess: () => {
          setAsking(null);
          setDone(t(next === "active" ? "users.reactivated" : "users.suspended", { name }));
        },
        onError: () => setAsking(null),
      },
    );
  return (
    <Stack gap="sm">
      <FilterRow>
        <SearchFilter label={t("search")} description={t("users.searchHint")} />
        <FilterSelect
          label={t("users.status")}
          any={t("anyStatus")}
          options={STATUSES.map((s) => ({ value: s, label: t(`users.statusName.${s}`) }))}
          value={status}
          onChange={(value) => params.set("status", value)}
          w={{ base: "100%", xs: 200 }}
        />
      </FilterRow>
      <Text size="sm" role="status" aria-live="polite">
        {done ?? ""}
      </Text>
      {change.error && <ApiErrorAlert error={change.error} />}
      <PagedList
        query={users}
        page={params.page}
        onPage={(page) => params.set("page", String(page))}
        empty={{ title: t("nothingTitle"), reason: t("nothingReason") }}
      >
        {(items) => (
          <>
            <Table.ScrollContainer minWidth={0}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("users.person")}</Table.Th>
                    <Table.Th>{t("users.status")}</Table.Th>
                    <Table.Th visibleFrom="sm">{t("users.organizations")}</Table.Th>
                    <Table.Th visibleFrom="md">{t("users.lastSignIn")}</Table.Th>
                    {maySuspend && <Table.Th>{t("actions")}</Table.Th>}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((u) => (
                    <Table.Tr key={u.id}>
                      <Table.Td style={{ overflowWrap: "anywhere" }}>
                        <Text fw={500}>{u.fullName}</Text>
                        <Text size="xs" c="dimmed">
                          {u.email}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge color={STATUS_COLOR[u.status]} variant="filled">
                          {t(`users.statusName.${u.status}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td visibleFrom="sm" style={{ overflowWrap: "anywhere" }}>
                        {u.organizations.map((o) => o.name).join(", ") || "—"}
                      </Table.Td>
                      <Table.Td visibleFrom="md">
                        {u.lastLoginAt ? format.dateTime(u.lastLoginAt) : t("never")}
                      </Table.Td>
                      {maySuspend && (
                        <Table.Td>
                          {u.id !== me.user.id && u.status === "active" && (
                            <Button
                              size="xs"
                              variant="outline"
                              color="red.9"
                              aria-label={t("users.suspendFor", { name: u.fullName })}
                              onClick={() => {
                                setDone(null);
                                setAsking({ id: u.id, name: u.fullName });
                              }}
                            >
                              {t("users.suspend")}
                            </Button>
                          )}
                          {u.status === "suspended" && (
                            <Button
                              size="xs"
                              variant="default"
                              aria-label={t("users.reactivateFor", { name: u.fullName })}
                              loading={change.isPending}
                              onClick={() => {
                                setDone(null);
                                act(u.id, u.fullName, "active");
                              }}
                            >
                              {t("users.reactivate")}
                            </Button>
                          )}
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </>
        )}
      </PagedList>
      {asking && (
        <ConfirmDialog
          title={t("users.suspendTitle", { name: asking.name })}
          text={t("users.suspendText")}
          confirm={t("users.suspend")}
          busy={change.isPending}
          onClose={() => setAsking(null)}
          onConfirm={() => act(asking.id, asking.name, "suspended")}
        />
      )}
    </Stack>
  );
}
