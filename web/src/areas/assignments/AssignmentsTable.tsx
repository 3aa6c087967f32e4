import { Anchor, Badge, Checkbox, Group, Skeleton, Stack, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type Assignment, type AssignmentFilters, useAssignments } from "../../api/assignments";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { EmptyState } from "../../ui/EmptyState";
import { ENROLLMENT_STATUS_COLOR } from "../../ui/enrollmentStatus";
import { LabelledPagination } from "../../ui/LabelledPagination";
import { PageState } from "../../ui/PageState";
import { usePersonPrivacy } from "../../ui/personPrivacy";

export interface Selection {
  selected: Map<string, Assignment>;
  onChange: (next: Map<string, Assignment>) => void;
}

/**
 * One page of assignments: the learner, the course, when it is due (and whether that has
 * passed), status and progress. With `selection`, each row and the page have a checkbox.
 */
export function AssignmentsTable({
  orgId,
  filters,
  onPage,
  selection,
  linkToPeople,
}: {
  orgId: string;
  filters: AssignmentFilters;
  onPage: (page: number) => void;
  selection: Selection | null;
  linkToPeople: boolean;
}) {
  const { t } = useTranslation("assignments");
  const person = usePersonPrivacy();
  const format = useFormat();
  const me = useSignedInMe();
  const assignments = useAssignments(me.user.id, orgId, filters);
  return (
    <PageState
      query={assignments}
      pending={<Skeleton height={320} radius="md" />}
      isEmpty={(data) => data.items.length === 0}
      empty={<EmptyState title={t("list.emptyTitle")} reason={t("list.emptyReason")} />}
    >
      {(data) => {
        const pagination = data.meta?.pagination;
        const rows = data.items;
        const selected = selection?.selected;
        const allOnPage = rows.length > 0 && rows.every((r) => selected?.has(r.id));
        const someOnPage = rows.some((r) => selected?.has(r.id));
        const toggle = (row: Assignment, on: boolean) => {
          if (!selection) return;
          const next = new Map(selection.selected);
          if (on) next.set(row.id, row);
          else next.delete(row.id);
          selection.onChange(next);
        };
        const togglePage = (on: boolean) => {
          if (!selection) return;
          const next = new Map(selection.selected);
          for (const row of rows) {
            if (on) next.set(row.id, row);
            else next.delete(row.id);
          }
          selection.onChange(next);
        };
        return (
          <Stack gap="sm" style={{ opacity: assignments.isPlaceholderData ? 0.6 : 1 }}>
            <Text size="sm" c="dimmed" role="status" aria-live="polite">
              {t("list.count", { count: pagination?.total ?? rows.length })}
            </Text>
            <Table.ScrollContainer minWidth={0}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    {selection && (
                      <Table.Th w={40}>
                        <Checkbox
                          aria-label={t("list.selectPage")}
                          checked={allOnPage}
                          indeterminate={someOnPage && !allOnPage}
                          onChange={(event) => togglePage(event.currentTarget.checked)}
                        />
                      </Table.Th>
                    )}
                    <Table.Th>{t("list.learner")}</Table.Th>
                    <Table.Th>{t("list.course")}</Table.Th>
                    <Table.Th>{t("list.dueAt")}</Table.Th>
                    <Table.Th visibleFrom="sm">{t("list.status")}</Table.Th>
                    <Table.Th visibleFrom="md">{t("list.progress")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((row) => (
                    <Table.Tr key={row.id}>
                      {selection && (
                        <Table.Td>
                          <Checkbox
                            aria-label={t("list.select", {
                              learner: person.name(row.learner),
                              course: row.course.title,
                            })}
                            checked={selected?.has(row.id) ?? false}
                            onChange={(event) => toggle(row, event.currentTarget.checked)}
                          />
                        </Table.Td>
                      )}
                      <Table.Td style={{ overflowWrap: "anywhere" }}>
                        {linkToPeople ? (
                          <Anchor
                            component={Link}
                            to={`/people/${row.userId}?org=${orgId}`}
                            fw={500}
                          >
                            {person.name(row.learner)}
                          </Anchor>
                        ) : (
                          <Text fw={500}>{person.name(row.learner)}</Text>
                        )}
                        <Text size="sm" c="dimmed">
                          {row.department?.name ?? person.email(row.learner)}
                        </Text>
                      </Table.Td>
                      <Table.Td style={{ overflowWrap: "anywhere" }}>
                        <Anchor component={Link} to={`/courses/${row.courseId}`}>
                          {row.course.title}
                        </Anchor>
                        <Group gap={4} mt={2}>
                          {row.isCompliance && (
                            <Badge size="sm" variant="outline" color="violet.9">
                              {t("required.compliance")}
                            </Badge>
                          )}
                          {row.isMandatory && (
                            <Badge size="sm" variant="outline" color="blue.9">
                              {t("required.mandatory")}
                            </Badge>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        {row.dueAt ? format.date(row.dueAt) : t("list.noDueDate")}
                        {row.overdue && (
                          <Badge ml={6} size="sm" color="red.9" variant="filled">
                            {t("list.overdue")}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td visibleFrom="sm">
                        <Badge color={ENROLLMENT_STATUS_COLOR[row.status]} variant="dot">
                          {t(`status.${row.status}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td visibleFrom="md">{format.percent(row.progressPercent)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <LabelledPagination
              total={pagination?.totalPages ?? 1}
              value={filters.page}
              onChange={onPage}
            />
          </Stack>
        );
      }}
    </PageState>
  );
}
