import { Badge, Button, Group, Skeleton, Stack, Table, Text, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { type Cohort, rosterParams, useCohortRoster, useDownloadRoster } from "../../api/cohorts";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { EmptyState } from "../../ui/EmptyState";
import { ENROLLMENT_STATUS_COLOR } from "../../ui/enrollmentStatus";
import { LabelledPagination } from "../../ui/LabelledPagination";
import { PageState } from "../../ui/PageState";
import { usePersonPrivacy } from "../../ui/personPrivacy";
import { usePageParams } from "../../ui/usePageParams";
import { useUrlSearchText } from "../../ui/useUrlSearchText";
import { rosterFileName } from "./lifecycle";

/**
 * A cohort's learners, 50 to a page, searched by name or address (`q` in the URL), each with
 * their enrollment's status, progress, enrollment date and last activity. *Download CSV*
 * saves the same list (up to 1,000 learners, the search applied) as the server writes it.
 */
export function RosterPanel({ cohort }: { cohort: Cohort }) {
  const { t } = useTranslation("cohorts");
  const person = usePersonPrivacy();
  const format = useFormat();
  const me = useSignedInMe();
  const params = usePageParams();
  const [text, setText] = useUrlSearchText("q");
  const [url] = useSearchParams();
  const query = rosterParams(url);
  const search = query.search ?? "";
  const roster = useCohortRoster(me.user.id, cohort.courseId, cohort.id, query);
  const download = useDownloadRoster();
  return (
    <Stack gap="sm" component="section" aria-label={t("roster.title")}>
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <TextInput
          type="search"
          label={t("roster.search")}
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          w={{ base: "100%", xs: 320 }}
        />
        <Button
          variant="default"
          loading={download.isPending}
          onClick={() =>
            download.mutate({
              courseId: cohort.courseId,
              cohortId: cohort.id,
              ...(search ? { search } : {}),
              filename: rosterFileName(cohort.name),
            })
          }
        >
          {t("roster.download")}
        </Button>
      </Group>
      {download.error && (
        <ApiErrorAlert error={download.error} title={t("roster.downloadFailed")} />
      )}
      <PageState
        query={roster}
        pending={<Skeleton height={240} radius="md" />}
        isEmpty={(data) => data.items.length === 0}
        empty={
          search ? (
            <EmptyState
              headingLevel={3}
              title={t("roster.noMatchTitle")}
              reason={t("roster.noMatchReason", { search })}
              action={
                <Button variant="default" onClick={() => setText("")}>
                  {t("roster.clearSearch")}
                </Button>
              }
            />
          ) : (
            <EmptyState
              headingLevel={3}
              title={t("roster.emptyTitle")}
              reason={t("roster.emptyReason")}
            />
          )
        }
      >
        {(data) => {
          const pagination = data.meta?.pagination;
          return (
            <Stack gap="sm" style={{ opacity: roster.isPlaceholderData ? 0.6 : 1 }}>
              <Text size="sm" c="dimmed" role="status" aria-live="polite">
                {t("roster.count", { count: pagination?.total ?? data.items.length })}
              </Text>
              <Table.ScrollContainer minWidth={0}>
                <Table aria-label={t("roster.title")}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t("roster.learner")}</Table.Th>
                      <Table.Th>{t("roster.status")}</Table.Th>
                      <Table.Th visibleFrom="xs">{t("roster.progress")}</Table.Th>
                      <Table.Th visibleFrom="sm">{t("roster.enrolled")}</Table.Th>
                      <Table.Th visibleFrom="md">{t("roster.lastActivity")}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.items.map((entry) => (
                      <Table.Tr key={entry.id}>
                        <Table.Td style={{ overflowWrap: "anywhere" }}>
                          <Text fw={500}>{person.name(entry.learner)}</Text>
                          <Text size="sm" c="dimmed">
                            {person.email(entry.learner)}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Badge variant="dot" color={ENROLLMENT_STATUS_COLOR[entry.status]}>
                            {t(`enrollmentStatus.${entry.status}`)}
                          </Badge>
                          {/* On a phone the progress column gives way: its figure goes here. */}
                          <Text size="sm" hiddenFrom="xs" mt={4}>
                            {format.percent(entry.progressPercent)}
                          </Text>
                        </Table.Td>
                        <Table.Td visibleFrom="xs">
                          {format.percent(entry.progressPercent)}
                          <Text size="xs" c="dimmed">
                            {t("roster.lessons", {
                              done: entry.lessonsCompleted,
                              total: entry.lessonsTotal,
                            })}
                          </Text>
                        </Table.Td>
                        <Table.Td visibleFrom="sm">{format.date(entry.enrolledAt)}</Table.Td>
                        <Table.Td visibleFrom="md">
                          {entry.lastAccessedAt
                            ? format.dateTime(entry.lastAccessedAt)
                            : entry.activityHidden
                              ? person.hidden
                              : t("roster.never")}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <LabelledPagination
                total={pagination?.totalPages ?? 1}
                value={query.page}
                onChange={(page) => params.set("page", String(page))}
              />
            </Stack>
          );
        }}
      </PageState>
    </Stack>
  );
}
