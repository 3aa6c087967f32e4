import { Alert, Badge, Button, FileInput, Group, Modal, Stack, Table, Text } from "@mantine/core";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { type InviteBatchOutcome, useInviteBatch } from "../../api/people";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { type CsvInvite, type CsvProblem, readInviteCsv, resultCsv } from "./csv";
import { useRoleNames } from "./roles";

type Read = { rows: CsvInvite[] } | { problem: CsvProblem } | null;

/**
 * Invites the people of a CSV file: the file is read in the browser and shown before anything
 * is sent (how many people, the first rows, or what stops the file from being used), then one
 * request sends every row. The answer says, row by row, who was invited and why a row was
 * refused; the same table downloads as a CSV to fix and upload again.
 */
export function CsvInviteDialog({ orgId, onClose }: { orgId: string; onClose: () => void }) {
  const { t } = useTranslation("people");
  const me = useSignedInMe();
  const batch = useInviteBatch(me.user.id, orgId);
  const { roles, nameOf } = useRoleNames(orgId);
  const [file, setFile] = useState<File | null>(null);
  const [read, setRead] = useState<Read>(null);
  const busy = batch.isPending;
  const rows = read && "rows" in read ? read.rows : null;

  /** A role as the file names it (a key or a name, any case); empty means learner. */
  const roleKeyOf = (written: string) => {
    const wanted = written.trim().toLowerCase();
    if (!wanted) return "learner";
    const role = roles.find(
      (r) => r.key.toLowerCase() === wanted || r.name.toLowerCase() === wanted,
    );
    return role?.key ?? written.trim();
  };

  const latest = useRef<File | null>(null);
  const choose = async (chosen: File | null) => {
    latest.current = chosen;
    setFile(chosen);
    batch.reset();
    setRead(null);
    if (!chosen) return;
    const text = await chosen.text();
    // A file chosen meanwhile wins over a slower read of an earlier one.
    if (latest.current === chosen) setRead(readInviteCsv(text));
  };

  const send = () => {
    if (!rows) return;
    batch.mutate(
      rows.map((r) => ({ email: r.email, roleKey: roleKeyOf(r.role), message: r.message || null })),
    );
  };

  return (
    <Modal
      opened
      size="lg"
      onClose={() => !busy && onClose()}
      title={t("csv.title")}
      closeOnClickOutside={!busy}
      closeOnEscape={!busy}
      closeButtonProps={{ "aria-label": t("csv.close") }}
    >
      <Stack gap="sm">
        {!batch.data && (
          <>
            <Text size="sm">{t("csv.intro")}</Text>
            <FileInput
              label={t("csv.file")}
              description={t("csv.fileHint")}
              accept=".csv,text/csv"
              clearable
              clearButtonProps={{ "aria-label": t("csv.clear") }}
              value={file}
              onChange={(chosen) => void choose(chosen)}
              disabled={busy}
              data-autofocus
            />
            {read && "problem" in read && (
              <Alert color="red" role="alert" variant="light" title={t("csv.problemTitle")}>
                {t(`csv.problem.${read.problem.kind}`, {
                  count: read.problem.kind === "tooMany" ? read.problem.count : 0,
                  detail: read.problem.kind === "unreadable" ? read.problem.detail : "",
                })}
              </Alert>
            )}
            {rows && <Preview rows={rows} nameOfRole={(role) => nameOf(roleKeyOf(role))} />}
            {batch.error && <ApiErrorAlert error={batch.error} />}
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={onClose} disabled={busy}>
                {t("invite.cancel")}
              </Button>
              <Button onClick={send} disabled={!rows} loading={busy}>
                {t("csv.send", { count: rows?.length ?? 0 })}
              </Button>
            </Group>
          </>
        )}
        {batch.data && rows && (
          <Results
            rows={rows}
            outcomes={batch.data.results}
            invited={batch.data.invited}
            failed={batch.data.failed}
            onClose={onClose}
          />
        )}
      </Stack>
    </Modal>
  );
}

const PREVIEW_ROWS = 5;

function Preview({
  rows,
  nameOfRole,
}: {
  rows: CsvInvite[];
  nameOfRole: (role: string) => string;
}) {
  const { t } = useTranslation("people");
  return (
    <Stack gap="xs">
      <Text fw={500} role="status" aria-live="polite">
        {t("csv.found", { count: rows.length })}
      </Text>
      <Table.ScrollContainer minWidth={0}>
        <Table>
          <Table.Caption>
            {t("csv.previewCaption", { count: Math.min(rows.length, PREVIEW_ROWS) })}
          </Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("csv.line")}</Table.Th>
              <Table.Th>{t("invites.email")}</Table.Th>
              <Table.Th>{t("invites.role")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.slice(0, PREVIEW_ROWS).map((row) => (
              <Table.Tr key={row.line}>
                <Table.Td>{row.line}</Table.Td>
                <Table.Td style={{ overflowWrap: "anywhere" }}>{row.email}</Table.Td>
                <Table.Td>{row.role ? nameOfRole(row.role) : t("csv.defaultRole")}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

function Results({
  rows,
  outcomes,
  invited,
  failed,
  onClose,
}: {
  rows: CsvInvite[];
  outcomes: InviteBatchOutcome[];
  invited: number;
  failed: number;
  onClose: () => void;
}) {
  const { t } = useTranslation("people");
  const reason = (outcome: InviteBatchOutcome) =>
    outcome.error
      ? t(`errors:${outcome.error.code}`, { defaultValue: outcome.error.message })
      : t("csv.invited");
  const download = () => {
    const text = resultCsv(
      [t("csv.line"), t("invites.email"), t("csv.result")],
      outcomes.map((o) => [String(rows[o.row]?.line ?? o.row + 2), o.email, reason(o)]),
    );
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
    link.download = t("csv.resultFile");
    link.click();
    // Some browsers start the download after click() returns.
    setTimeout(() => URL.revokeObjectURL(link.href), 1_000);
  };
  return (
    <Stack gap="sm">
      <Text fw={500} role="status" aria-live="polite">
        {t("csv.summary", { invited, failed })}
      </Text>
      <Table.ScrollContainer minWidth={0}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("csv.line")}</Table.Th>
              <Table.Th>{t("invites.email")}</Table.Th>
              <Table.Th>{t("csv.result")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {outcomes.map((o) => (
              <Table.Tr key={o.row}>
                <Table.Td>{rows[o.row]?.line ?? o.row + 2}</Table.Td>
                <Table.Td style={{ overflowWrap: "anywhere" }}>{o.email}</Table.Td>
                <Table.Td>
                  <Stack gap={4}>
                    <Badge color={o.status === "invited" ? "teal.9" : "red.9"} variant="filled">
                      {o.status === "invited" ? t("csv.invitedBadge") : t("csv.refusedBadge")}
                    </Badge>
                    {o.error && <Text size="sm">{reason(o)}</Text>}
                  </Stack>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={download}>
          {t("csv.download")}
        </Button>
        <Button onClick={onClose}>{t("csv.done")}</Button>
      </Group>
    </Stack>
  );
}
