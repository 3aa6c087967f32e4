import { Anchor, Badge, Group, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { type LearnerTranscript, useLearnerTranscript } from "../../api/learners";
import { useChosenOrganization } from "../../app/OrganizationChoice";
import { OVER_PEOPLE, useOrgPermission } from "../../app/permissions";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { EmptyState } from "../../ui/EmptyState";
import { ENROLLMENT_STATUS_COLOR } from "../../ui/enrollmentStatus";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";

type Course = LearnerTranscript["courses"][number];
const OPEN = new Set(["active", "suspended", "pending-payment"]);

/**
 * One learner's record (`/learners/:learnerId?org=…`), as far as the person may see it: each
 * course with its status, progress, due date (late ones marked), quiz results and
 * certificate.
 */
export function LearnerPage() {
  const { t } = useTranslation("learners");
  const { learnerId = "" } = useParams();
  const { chosen } = useChosenOrganization("reports:read", OVER_PEOPLE);
  const orgId = chosen?.organization.id ?? "";
  return (
    <Stack gap="md" maw={1100}>
      <Anchor component={Link} to={`/learners${orgId ? `?org=${orgId}` : ""}`} w="fit-content">
        {t("back")}
      </Anchor>
      {orgId ? (
        <Record orgId={orgId} learnerId={learnerId} />
      ) : (
        <>
          <Title order={1}>{t("title")}</Title>
          <Text>{t("noOrganization")}</Text>
        </>
      )}
    </Stack>
  );
}

function Record({ orgId, learnerId }: { orgId: string; learnerId: string }) {
  const { t } = useTranslation("learners");
  const me = useSignedInMe();
  const may = useOrgPermission(orgId);
  const record = useLearnerTranscript(me.user.id, orgId, learnerId);
  usePageTitle(record.data?.learner.name ?? t("record"));
  return (
    <PageState
      query={record}
      pending={
        <Stack>
          <Title order={1}>{t("record")}</Title>
          <Skeleton height={300} radius="md" />
        </Stack>
      }
    >
      {(data) => {
        const now = Date.now();
        const late = data.courses.filter(
          (c) => c.dueAt && new Date(c.dueAt).getTime() < now && OPEN.has(c.status),
        ).length;
        return (
          <Stack gap="lg">
            <Stack gap={4}>
              <Title order={1} style={{ overflowWrap: "anywhere" }}>
                {data.learner.name}
              </Title>
              <Group gap="md" wrap="wrap">
                <Text style={{ overflowWrap: "anywhere" }}>{data.learner.email}</Text>
                {may("members:read", OVER_PEOPLE) && (
                  <Anchor component={Link} to={`/people/${data.learner.id}?org=${orgId}`}>
                    {t("memberPage")}
                  </Anchor>
                )}
              </Group>
              <Text size="sm">
                {t("recordSummary", {
                  count: data.courses.length,
                  completed: data.courses.filter((c) => c.status === "completed").length,
                  late,
                })}
              </Text>
            </Stack>
            <Stack gap="sm" component="section" aria-labelledby="record-courses-heading">
              <Title order={2} id="record-courses-heading">
                {t("courses")}
              </Title>
              {data.courses.length === 0 ? (
                <EmptyState
                  title={t("noCoursesTitle")}
                  reason={t("noCoursesReason")}
                  headingLevel={3}
                />
              ) : (
                <CoursesTable courses={data.courses} now={now} />
              )}
            </Stack>
          </Stack>
        );
      }}
    </PageState>
  );
}

function CoursesTable({ courses, now }: { courses: Course[]; now: number }) {
  const { t } = useTranslation("learners");
  const format = useFormat();
  return (
    <Table.ScrollContainer minWidth={0}>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("course")}</Table.Th>
            <Table.Th>{t("status")}</Table.Th>
            <Table.Th>{t("due")}</Table.Th>
            <Table.Th visibleFrom="sm">{t("quizzes")}</Table.Th>
            <Table.Th visibleFrom="sm">{t("certificate")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {courses.map((c) => {
            const overdue = !!c.dueAt && new Date(c.dueAt).getTime() < now && OPEN.has(c.status);
            return (
              <Table.Tr key={c.enrollmentId}>
                <Table.Td style={{ overflowWrap: "anywhere" }}>
                  <Anchor component={Link} to={`/courses/${c.courseId}`}>
                    {c.title}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {c.code}
                    {c.compliance ? ` · ${t("complianceCourse")}` : ""}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge
                    variant="dot"
                    color={
                      ENROLLMENT_STATUS_COLOR[c.status as keyof typeof ENROLLMENT_STATUS_COLOR] ??
                      "gray"
                    }
                  >
                    {t(`statusName.${c.status}`, { defaultValue: c.status })}
                  </Badge>
                  <Text size="xs" c="dimmed">
                    {t("progress", { progress: format.percent(c.progressPercent) })}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {c.dueAt ? format.date(c.dueAt) : t("noDue")}
                  {overdue && (
                    <Badge ml={6} size="sm" color="red.9" variant="filled">
                      {t("late")}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td visibleFrom="sm">
                  {c.quizzes.length === 0
                    ? "—"
                    : c.quizzes.map((q) => (
                        <Text size="xs" key={q.title} style={{ overflowWrap: "anywhere" }}>
                          {t("quizLine", {
                            title: q.title,
                            score: q.bestScore === null ? "—" : format.percent(q.bestScore),
                            result: t(`result.${q.result}`),
                          })}
                        </Text>
                      ))}
                </Table.Td>
                <Table.Td visibleFrom="sm">
                  {c.certificate ? (
                    <>
                      <Text size="xs">{t(`certificateStatus.${c.certificate.status}`)}</Text>
                      <Text size="xs" c="dimmed">
                        {c.certificate.number}
                      </Text>
                    </>
                  ) : (
                    "—"
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
