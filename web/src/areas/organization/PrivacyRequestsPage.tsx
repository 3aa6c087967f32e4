import { Badge, Button, Group, Modal, Stack, Table, Text, Textarea, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  PRIVACY_REQUEST_STATUSES,
  PRIVACY_REQUEST_TYPES,
  type PrivacyRequest,
  type PrivacyRequestStatus,
  type RequestFilters,
  useDownloadExport,
  usePrivacyRequestChange,
  usePrivacyRequests,
} from "../../api/privacy";
import { holdsKey } from "../../app/permissions";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { FilterRow } from "../../ui/FilterRow";
import { FilterSelect } from "../../ui/FilterSelect";
import { PagedList } from "../../ui/PagedList";
import { PersonSelect } from "../../ui/PersonSelect";
import { usePageParams } from "../../ui/usePageParams";
import { NewPrivacyRequestDialog } from "./NewPrivacyRequestDialog";
import { OrganizationFrame } from "./OrganizationFrame";
import { requestActions } from "./privacyRules";

/**
 * `/organization/privacy-requests?org=…`: the organization's data subject requests, filtered
 * by kind, status and person (in the URL; the person searched among all members, each row
 * named by the server); filing one; rejecting, lifting, processing (platform
 * administrators) and downloading an export's ZIP.
 */
export function PrivacyRequestsPage() {
  const { t } = useTranslation("privacy");
  return (
    <OrganizationFrame title={t("requests.title")} permission="privacy:manage">
      {(orgId) => <Requests orgId={orgId} />}
    </OrganizationFrame>
  );
}

const STATUS_COLORS: Record<PrivacyRequestStatus, string> = {
  requested: "blue.9",
  processing: "violet.9",
  completed: "teal.9",
  rejected: "red.9",
  lifted: "gray.7",
};

type Pending = { kind: "reject" | "lift" | "erase"; request: PrivacyRequest } | null;

function Requests({ orgId }: { orgId: string }) {
  const { t } = useTranslation("privacy");
  const me = useSignedInMe();
  const params = usePageParams();
  const filters: RequestFilters = {
    page: params.page,
    type: PRIVACY_REQUEST_TYPES.find((v) => v === params.get("type")) ?? null,
    status: PRIVACY_REQUEST_STATUSES.find((v) => v === params.get("status")) ?? null,
    userId: params.get("person"),
  };
  const requests = usePrivacyRequests(me.user.id, orgId, filters);
  const change = usePrivacyRequestChange(me.user.id, orgId);
  const download = useDownloadExport();
  const platformAdmin = holdsKey(me.platformPermissions, "privacy:manage");
  const [creating, setCreating] = useState(false);
  const [pending, setPending] = useState<Pending>(null);
  const [message, setMessage] = useState<string | null>(null);
  const nameOf = (request: PrivacyRequest) =>
    request.subjectName ?? t("unknownPerson", { id: request.subjectUserId.slice(0, 8) });
  // the filtered person's name, from a row about them (no lookup of their member page)
  const filteredName =
    requests.data?.items.find((r) => r.subjectUserId === filters.userId)?.subjectName ?? null;
  const format = useFormat();

  const act = (next: Parameters<typeof change.mutate>[0], done: string) => {
    setMessage(null);
    change.mutate(next, {
      onSuccess: () => {
        setMessage(done);
        setPending(null);
        setCreating(false);
      },
    });
  };

  return (
    <Stack gap="sm" mt="md" component="section" aria-labelledby="requests-heading">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Title order={2} id="requests-heading">
          {t("requests.title")}
        </Title>
        <Button
          onClick={() => {
            change.reset();
            setCreating(true);
          }}
        >
          {t("requests.new")}
        </Button>
      </Group>
      <Text size="sm">{t("requests.intro")}</Text>
      <FilterRow>
        <FilterSelect
          label={t("requests.filterType")}
          any={t("requests.anyType")}
          options={PRIVACY_REQUEST_TYPES.map((v) => ({ value: v, label: t(`type.${v}`) }))}
          value={filters.type}
          onChange={(value) => params.set("type", value)}
          w={{ base: "100%", xs: 180 }}
        />
        <FilterSelect
          label={t("requests.filterStatus")}
          any={t("requests.anyStatus")}
          options={PRIVACY_REQUEST_STATUSES.map((v) => ({ value: v, label: t(`status.${v}`) }))}
          value={filters.status}
          onChange={(value) => params.set("status", value)}
          w={{ base: "100%", xs: 180 }}
        />
        <PersonSelect
          orgId={orgId}
          label={t("requests.filterPerson")}
          placeholder={t("requests.anyPerson")}
          anyStatus
          lookUp={false}
          chosenName={filteredName}
          value={filters.userId}
          onChange={(value) => params.set("person", value)}
          w={{ base: "100%", xs: 280 }}
        />
      </FilterRow>
      {!creating && !pending && change.error && <ApiErrorAlert error={change.error} />}
      {download.error && <ApiErrorAlert error={download.error} />}
      {message && (
        <Text role="status" fw={600}>
          {message}
        </Text>
      )}
      <PagedList
        query={requests}
        page={filters.page}
        onPage={(p) => params.set("page", String(p))}
        empty={{ title: t("requests.emptyTitle"), reason: t("requests.emptyReason") }}
        count={(total) => t("requests.count", { count: total })}
      >
        {(items) => (
          <Table.ScrollContainer minWidth={0}>
            <Table aria-labelledby="requests-heading">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("requests.about")}</Table.Th>
                  <Table.Th>{t("requests.kindStatus")}</Table.Th>
                  <Table.Th>{t("requests.actions")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((request) => {
                  const name = nameOf(request);
                  const type = t(`type.${request.type}`);
                  const can = requestActions(request, platformAdmin);
                  return (
                    <Table.Tr key={request.id} data-request={request.id}>
                      <Table.Td style={{ overflowWrap: "anywhere" }}>
                        <Text fw={600}>{name}</Text>
                        <Text size="sm" c="dimmed">
                          {t("requests.when")}: {format.dateTime(request.createdAt)}
                        </Text>
                        {request.scope === "account" && (
                          <Text size="sm">{t("requests.accountScope")}</Text>
                        )}
                        {request.reason && <Text size="sm">{request.reason}</Text>}
                      </Table.Td>
                      <Table.Td style={{ overflowWrap: "anywhere" }}>
                        <Group gap={6} wrap="wrap">
                          <Text>{type}</Text>
                          <Badge color={STATUS_COLORS[request.status]} variant="filled">
                            {t(`status.${request.status}`)}
                          </Badge>
                        </Group>
                        {request.file && request.file.expiresAt && (
                          <Text size="sm" c="dimmed">
                            {t("requests.fileInfo", {
                              size: format.fileSize(request.file.size),
                              date: format.date(request.file.expiresAt),
                            })}
                          </Text>
                        )}
                        {request.type === "export" &&
                          (request.status === "requested" || request.status === "processing") &&
                          !platformAdmin && (
                            <Text size="sm" c="dimmed">
                              {t("requests.working")}
                            </Text>
                          )}
                        {request.decisionNote && (
                          <Text size="sm">
                            {t("requests.decisionNote", { note: request.decisionNote })}
                          </Text>
                        )}
                        {request.error && request.status === "requested" && (
                          <Text size="sm" c="red.9">
                            {t("requests.error", { error: request.error })}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Group gap="xs" wrap="wrap">
                          {can.download && (
                            <Button
                              size="xs"
                              variant="light"
                              loading={download.isPending && download.variables?.id === request.id}
                              aria-label={t("requests.downloadLabel", { name })}
                              onClick={() => download.mutate(request)}
                            >
                              {t("requests.download")}
                            </Button>
                          )}
                          {can.process && (
                            <Button
                              size="xs"
                              loading={
                                change.isPending &&
                                change.variables?.kind === "process" &&
                                change.variables.id === request.id
                              }
                              aria-label={t("requests.processLabel", { type, name })}
                              onClick={() => {
                                // an erasure cannot be undone: it is confirmed first
                                if (request.type === "erasure") {
                                  change.reset();
                                  setPending({ kind: "erase", request });
                                } else
                                  act({ kind: "process", id: request.id }, t("requests.processed"));
                              }}
                            >
                              {t("requests.process")}
                            </Button>
                          )}
                          {can.reject && (
                            <Button
                              size="xs"
                              variant="default"
                              color="red.9"
                              aria-label={t("requests.rejectLabel", { type, name })}
                              onClick={() => {
                                change.reset();
                                setPending({ kind: "reject", request });
                              }}
                            >
                              {t("requests.reject")}
                            </Button>
                          )}
                          {can.lift && (
                            <Button
                              size="xs"
                              variant="light"
                              aria-label={t("requests.liftLabel", { name })}
                              onClick={() => {
                                change.reset();
                                setPending({ kind: "lift", request });
                              }}
                            >
                              {t("requests.lift")}
                            </Button>
                          )}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </PagedList>
      {creating && (
        <NewPrivacyRequestDialog
          orgId={orgId}
          busy={change.isPending}
          error={change.error}
          onClose={() => setCreating(false)}
          onSubmit={(input) => act({ kind: "create", ...input }, t("requests.created"))}
        />
      )}
      {pending?.kind === "erase" && (
        <ConfirmDialog
          title={t("requests.eraseTitle")}
          text={t("requests.eraseText", { name: nameOf(pending.request) })}
          confirm={t("requests.eraseConfirm")}
          busy={change.isPending}
          onClose={() => setPending(null)}
          onConfirm={() => {
            // closed at once: the outcome (or the error) shows on the page
            setPending(null);
            act({ kind: "process", id: pending.request.id }, t("requests.processed"));
          }}
        />
      )}
      {pending && pending.kind !== "erase" && (
        <NoteDialog
          kind={pending.kind}
          busy={change.isPending}
          error={change.error}
          onClose={() => setPending(null)}
          onSubmit={(note) =>
            pending.kind === "reject"
              ? act({ kind: "reject", id: pending.request.id, note }, t("requests.rejected"))
              : act(
                  { kind: "lift", id: pending.request.id, note: note || null },
                  t("requests.lifted"),
                )
          }
        />
      )}
    </Stack>
  );
}

/** Rejecting (a note is required) or lifting a restriction (a note is optional). */
function NoteDialog({
  kind,
  busy,
  error,
  onSubmit,
  onClose,
}: {
  kind: "reject" | "lift";
  busy: boolean;
  error: unknown;
  onSubmit: (note: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation("privacy");
  const [note, setNote] = useState("");
  const required = kind === "reject";
  return (
    <Modal
      opened
      onClose={() => !busy && onClose()}
      title={t(kind === "reject" ? "requests.rejectTitle" : "requests.liftTitle")}
      closeOnClickOutside={!busy}
      closeButtonProps={{ "aria-label": t("requests.cancel") }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (required && !note.trim()) return;
          onSubmit(note.trim());
        }}
      >
        <Stack gap="sm">
          <Textarea
            label={t(kind === "reject" ? "requests.rejectNote" : "requests.liftNote")}
            required={required}
            value={note}
            maxLength={2000}
            rows={3}
            data-autofocus
            onChange={(event) => setNote(event.currentTarget.value)}
          />
          {error ? <ApiErrorAlert error={error} /> : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={busy}>
              {t("requests.cancel")}
            </Button>
            <Button
              type="submit"
              color={kind === "reject" ? "red.9" : undefined}
              loading={busy}
              disabled={required && !note.trim()}
            >
              {t(kind === "reject" ? "requests.reject" : "requests.lift")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
