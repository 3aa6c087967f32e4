import { Button, Group, Modal, NumberInput, Stack, Table, Text, TextInput } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useCreateOrganization, usePlatformOrganizations } from "../../api/platform";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { PagedList } from "../../ui/PagedList";
import { SearchFilter } from "../../ui/SearchFilter";
import { usePageParams } from "../../ui/usePageParams";
import { PlatformFrame } from "./PlatformFrame";

/** Every organization on the platform (`/platform/organizations`), and a new one. */
export function OrganizationsPage() {
  const { t } = useTranslation("platform");
  return (
    <PlatformFrame title={t("organizations.title")} permission="organizations:create">
      <Organizations />
    </PlatformFrame>
  );
}

function Organizations() {
  const { t } = useTranslation("platform");
  const me = useSignedInMe();
  const format = useFormat();
  const params = usePageParams();
  const [creating, setCreating] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const list = usePlatformOrganizations(me.user.id, params.page, params.get("q") ?? "");
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <SearchFilter label={t("search")} />
        <Button onClick={() => setCreating(true)}>{t("organizations.create")}</Button>
      </Group>
      <Text size="sm" role="status" aria-live="polite">
        {done ?? ""}
      </Text>
      <PagedList
        query={list}
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
                    <Table.Th>{t("organizations.name")}</Table.Th>
                    <Table.Th>{t("organizations.status")}</Table.Th>
                    <Table.Th visibleFrom="sm">{t("organizations.seats")}</Table.Th>
                    <Table.Th visibleFrom="md">{t("organizations.created")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((o) => (
                    <Table.Tr key={o.id}>
                      <Table.Td style={{ overflowWrap: "anywhere" }}>
                        <Text fw={500}>{o.name}</Text>
                        <Text size="xs" c="dimmed">
                          {o.domains.length ? o.domains.join(", ") : o.slug}
                        </Text>
                      </Table.Td>
                      <Table.Td>{t(`organizations.statusName.${o.status}`)}</Table.Td>
                      <Table.Td visibleFrom="sm">
                        {o.seats.purchased === null
                          ? t("organizations.seatsUnlimited", { used: o.seats.used })
                          : t("organizations.seatsOf", {
                              used: o.seats.used,
                              purchased: o.seats.purchased,
                            })}
                      </Table.Td>
                      <Table.Td visibleFrom="md">{format.date(o.createdAt)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </>
        )}
      </PagedList>
      {creating && (
        <NewOrganizationDialog
          onClose={() => setCreating(false)}
          onCreated={(name) => {
            setCreating(false);
            setDone(t("organizations.createdDone", { name }));
          }}
        />
      )}
    </Stack>
  );
}

function NewOrganizationDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (name: string) => void;
}) {
  const { t } = useTranslation("platform");
  const me = useSignedInMe();
  const create = useCreateOrganization(me.user.id);
  const [name, setName] = useState("");
  const [adminEmail, setAdminEmail] = useState("");
  const [domain, setDomain] = useState("");
  const [seats, setSeats] = useState<number | string>("");
  const busy = create.isPending;
  return (
    <Modal
      opened
      onClose={() => !busy && onClose()}
      title={t("organizations.create")}
      closeOnClickOutside={!busy}
      closeButtonProps={{ "aria-label": t("cancel") }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate(
            {
              name: name.trim(),
              ...(adminEmail.trim() ? { adminEmail: adminEmail.trim() } : {}),
              ...(domain.trim() ? { domain: domain.trim().toLowerCase() } : {}),
              seatsPurchased: seats === "" ? null : Number(seats),
            },
            { onSuccess: (org) => onCreated(org.name) },
          );
        }}
      >
        <Stack gap="sm">
          <TextInput
            label={t("organizations.name")}
            required
            maxLength={200}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            data-autofocus
          />
          <TextInput
            type="email"
            label={t("organizations.adminEmail")}
            description={t("organizations.adminEmailHint")}
            value={adminEmail}
            onChange={(event) => setAdminEmail(event.currentTarget.value)}
          />
          <TextInput
            label={t("organizations.domain")}
            description={t("organizations.domainHint")}
            value={domain}
            onChange={(event) => setDomain(event.currentTarget.value)}
          />
          <NumberInput
            label={t("organizations.seats")}
            description={t("organizations.seatsHint")}
            min={0}
            allowDecimal={false}
            value={seats}
            onChange={setSeats}
          />
          {create.error && <ApiErrorAlert error={create.error} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={busy}>
              {t("cancel")}
            </Button>
            <Button type="submit" loading={busy}>
              {t("organizations.create")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
