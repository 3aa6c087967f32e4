import { Badge, Button, Stack, Table, Text } from "@mantine/core";
import { Fragment, useState } from "react";
import { useTranslation } from "react-i18next";
import { type MailStatus, usePlatformMail } from "../../api/platform";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { FilterRow } from "../../ui/FilterRow";
import { FilterSelect } from "../../ui/FilterSelect";
import { PagedList } from "../../ui/PagedList";
import { SearchFilter } from "../../ui/SearchFilter";
import { usePageParams } from "../../ui/usePageParams";
import { PlatformFrame } from "./PlatformFrame";

const STATUSES: readonly MailStatus[] = ["queued", "sending", "sent", "failed"];
const COLOR: Record<string, string> = {
  queued: "blue.9",
  sending: "grape.9",
  sent: "teal.9",
  failed: "red.9",
};

/** The mail outbox (`/platform/mail`): each message's address, subject, state and text. */
export function MailPage() {
  const { t } = useTranslation("platform");
  return (
    <PlatformFrame title={t("mail.title")} permission="mail-outbox:read">
      <Outbox />
    </PlatformFrame>
  );
}

function Outbox() {
  const { t } = useTranslation("platform");
  const me = useSignedInMe();
  const format = useFormat();
  const params = usePageParams();
  const status = STATUSES.find((s) => s === params.get("status")) ?? null;
  const mail = usePlatformMail(me.user.id, params.page, params.get("to") ?? "", status);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Stack gap="sm">
      <FilterRow>
        <SearchFilter param="to" label={t("mail.to")} description={t("mail.toHint")} />
        <FilterSelect
          label={t("mail.status")}
          any={t("anyStatus")}
          options={STATUSES.map((s) => ({ value: s, label: t(`mail.statusName.${s}`) }))}
          value={status}
          onChange={(value) => params.set("status", value)}
          w={{ base: "100%", xs: 200 }}
        />
      </FilterRow>
      <PagedList
        query={mail}
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
                    <Table.Th>{t("mail.message")}</Table.Th>
                    <Table.Th>{t("mail.status")}</Table.Th>
                    <Table.Th visibleFrom="md">{t("mail.created")}</Table.Th>
                    <Table.Th>{t("mail.text")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((m) => {
                    const expanded = open === m.id;
                    return (
                      <Fragment key={m.id}>
                        <Table.Tr>
                          <Table.Td style={{ overflowWrap: "anywhere" }}>
                            <Text size="sm" fw={500}>
                              {m.subject}
                            </Text>
                            <Text size="xs" c="dimmed">
                              {t("mail.toLine", { to: m.to, template: m.template })}
                            </Text>
                            {m.lastError && (
                              <Text size="xs" c="red.9">
                                {m.lastError}
                              </Text>
                            )}
                          </Table.Td>
                          <Table.Td>
                            <Badge color={COLOR[m.status] ?? "gray.8"} variant="filled">
                              {t(`mail.statusName.${m.status}`, { defaultValue: m.status })}
                            </Badge>
                          </Table.Td>
                          <Table.Td visibleFrom="md">{format.dateTime(m.createdAt)}</Table.Td>
                          <Table.Td>
                            <Button
                              size="xs"
                              variant="default"
                              aria-expanded={expanded}
                              aria-controls={`mail-${m.id}`}
                              aria-label={t(expanded ? "mail.hideFor" : "mail.showFor", {
                                subject: m.subject,
                              })}
                              onClick={() => setOpen(expanded ? null : m.id)}
                            >
                              {expanded ? t("mail.hide") : t("mail.show")}
                            </Button>
                          </Table.Td>
                        </Table.Tr>
                        {expanded && (
                          <Table.Tr id={`mail-${m.id}`}>
                            <Table.Td colSpan={4}>
                              <Text
                                size="sm"
                                style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}
                              >
                                {m.text}
                              </Text>
                            </Table.Td>
                          </Table.Tr>
                        )}
                      </Fragment>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </>
        )}
      </PagedList>
    </Stack>
  );
}
