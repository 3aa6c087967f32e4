import { Anchor, Button, Group, Stack, Table, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useEditableCourses } from "../../api/authoring";
import { useOrganizationsWith } from "../../app/permissions";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { FilterRow } from "../../ui/FilterRow";
import { FilterSelect } from "../../ui/FilterSelect";
import { PagedList } from "../../ui/PagedList";
import { SearchFilter } from "../../ui/SearchFilter";
import { usePageParams } from "../../ui/usePageParams";
import { usePageTitle } from "../../ui/usePageTitle";
import { NewCourseDialog } from "./NewCourseDialog";
import { StatusBadge } from "./StatusBadge";

const STATUSES = ["draft", "published", "archived"] as const;
type Status = (typeof STATUSES)[number];

/**
 * The courses the person authors (`/teaching`): every course they may edit, in any status,
 * with search and a status filter in the URL, each opening its editor; and a new course.
 */
export function TeachingCoursesPage() {
  const { t } = useTranslation("authoring");
  usePageTitle(t("courses.title"));
  const me = useSignedInMe();
  const format = useFormat();
  const params = usePageParams();
  const search = (params.get("q") ?? "").trim();
  const status = STATUSES.find((s) => s === params.get("status"));
  const courses = useEditableCourses(me.user.id, {
    page: params.page,
    ...(search ? { search } : {}),
    ...(status ? { status } : {}),
  });
  const [creating, setCreating] = useState(false);
  const bank = useOrganizationsWith("assessments:manage").length > 0;
  return (
    <Stack gap="md" maw={1100}>
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Title order={1}>{t("courses.title")}</Title>
        <Group gap="sm">
          {bank && (
            <Button component={Link} to="/teaching/question-bank" variant="default">
              {t("bank.title")}
            </Button>
          )}
          <Button onClick={() => setCreating(true)}>{t("courses.new")}</Button>
        </Group>
      </Group>
      <Text c="dimmed">{t("courses.intro")}</Text>
      <FilterRow>
        <SearchFilter label={t("courses.search")} />
        <FilterSelect
          label={t("courses.status")}
          any={t("courses.anyStatus")}
          options={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
          value={status ?? null}
          onChange={(value) => params.set("status", value as Status | null)}
          w={{ base: "100%", xs: 200 }}
        />
      </FilterRow>
      <PagedList
        query={courses}
        page={params.page}
        onPage={(page) => params.set("page", String(page))}
        empty={{ title: t("courses.emptyTitle"), reason: t("courses.emptyReason") }}
        count={(total) => t("courses.count", { count: total })}
      >
        {(items) => (
          <Table.ScrollContainer minWidth={0}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("courses.course")}</Table.Th>
                  <Table.Th>{t("courses.status")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("courses.outline")}</Table.Th>
                  <Table.Th visibleFrom="sm">{t("courses.learners")}</Table.Th>
                  <Table.Th visibleFrom="md">{t("courses.changed")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((course) => (
                  <Table.Tr key={course.id}>
                    <Table.Td style={{ overflowWrap: "anywhere" }}>
                      <Anchor component={Link} to={`/teaching/courses/${course.id}`} fw={500}>
                        {course.title}
                      </Anchor>
                      <Text size="sm" c="dimmed">
                        {course.code}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <StatusBadge status={course.status} />
                    </Table.Td>
                    <Table.Td visibleFrom="sm">
                      {t("courses.outlineCounts", {
                        modules: course.moduleCount,
                        lessons: course.lessonCount,
                      })}
                    </Table.Td>
                    <Table.Td visibleFrom="sm">{format.number(course.enrolledCount)}</Table.Td>
                    <Table.Td visibleFrom="md">{format.date(course.updatedAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </PagedList>
      <NewCourseDialog opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}
