import { Anchor, Group, Paper, Skeleton, Stack, Tabs, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams, useSearchParams } from "react-router";
import { type EditorCourse, editorCourseQuery } from "../../api/authoring";
import { type Cohort, useCohort } from "../../api/cohorts";
import { isNotFound } from "../../api/errors";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { usePageTitle } from "../../ui/usePageTitle";
import { CohortActions } from "./CohortActions";
import { CourseNav, Refusal } from "./CourseFrame";
import { CohortStatusBadge, useCohortText } from "./cohortText";
import { RecordingsPanel } from "./RecordingsPanel";
import { RosterPanel } from "./RosterPanel";
import { WaitlistPanel } from "./WaitlistPanel";

const TABS = ["roster", "waitlist", "recordings"] as const;
type Tab = (typeof TABS)[number];

/**
 * A cohort (`/teaching/cohorts/:cohortId`), for its course's editors: its status, dates in its
 * time zone, seats and meeting link with the lifecycle's next steps, then one tab each
 * (`?tab=`) for the roster (searched, downloaded as CSV), the waitlist and the session
 * recordings. Enrollment requests of an approval course are linked to their own page.
 */
export function CohortPage() {
  const { t } = useTranslation("cohorts");
  const { cohortId = "" } = useParams();
  const me = useSignedInMe();
  const cohort = useCohort(me.user.id, cohortId);
  const courseId = cohort.data?.courseId ?? "";
  const course = useQuery({ ...editorCourseQuery(me.user.id, courseId), enabled: !!courseId });
  const notFound = isNotFound(cohort.error, "cohortId");
  const notEditor = !!course.data && !course.data.abilities.edit;
  usePageTitle(
    notFound
      ? t("refusal.cohortNotFoundTitle")
      : notEditor
        ? t("refusal.notEditorTitle")
        : (cohort.data?.name ?? t("cohort.title")),
  );
  if (notFound)
    return (
      <Refusal
        title={t("refusal.cohortNotFoundTitle")}
        text={t("refusal.cohortNotFound")}
        link={
          <Anchor component={Link} to="/teaching">
            {t("refusal.toTeaching")}
          </Anchor>
        }
      />
    );
  if (notEditor && cohort.data)
    return (
      <Refusal
        title={t("refusal.notEditorTitle")}
        text={t("refusal.notEditor")}
        link={
          <Anchor component={Link} to={`/courses/${cohort.data.courseId}`}>
            {t("refusal.toCourse")}
          </Anchor>
        }
      />
    );
  const failed = cohort.error ?? course.error;
  if (failed)
    return (
      <Stack gap="md" maw={1100}>
        <Title order={1}>{t("cohort.title")}</Title>
        <ApiErrorAlert
          error={failed}
          onRetry={() => void (cohort.error ? cohort.refetch() : course.refetch())}
        />
      </Stack>
    );
  if (!cohort.data || !course.data)
    return (
      <Stack gap="md" maw={1100}>
        <Title order={1}>{cohort.data?.name ?? t("cohort.title")}</Title>
        <Skeleton height={140} radius="md" />
        <Skeleton height={320} radius="md" />
      </Stack>
    );
  return <CohortView cohort={cohort.data} course={course.data} />;
}

function CohortView({ cohort, course: data }: { cohort: Cohort; course: EditorCourse }) {
  const course = data.course;
  const { t } = useTranslation("cohorts");
  const text = useCohortText();
  const heading = useRef<HTMLHeadingElement>(null);
  const [done, setDone] = useState("");
  const [params, setParams] = useSearchParams();
  const tab: Tab = TABS.find((x) => x === params.get("tab")) ?? "roster";
  return (
    <Stack gap="lg" maw={1100}>
      <Stack gap="sm">
        <Anchor component={Link} to={`/teaching/courses/${course.id}/cohorts`} w="fit-content">
          {t("cohort.back", { course: course.title })}
        </Anchor>
        <Group gap="sm" wrap="wrap">
          <Title order={1} ref={heading} tabIndex={-1} style={{ overflowWrap: "anywhere" }}>
            {cohort.name}
          </Title>
          <CohortStatusBadge status={cohort.status} />
        </Group>
        <CourseNav course={course} />
      </Stack>
      <Paper withBorder p="md" radius="md">
        <Stack gap={6}>
          <Text>{text.dates(cohort)}</Text>
          <Text>
            {text.seats(cohort)}
            {` · ${text.waiting(cohort)}`}
          </Text>
          {cohort.meetingUrl && (
            <Text>
              {t("cohort.meeting")}{" "}
              <Anchor
                href={cohort.meetingUrl}
                target="_blank"
                rel="noreferrer"
                style={{ overflowWrap: "anywhere" }}
              >
                {cohort.meetingUrl}
              </Anchor>
            </Text>
          )}
          {cohort.cancelledReason && (
            <Text>{t("cohort.cancelledReason", { reason: cohort.cancelledReason })}</Text>
          )}
          {course.enrollmentType === "approval" && (
            <Anchor component={Link} to={`/courses/${course.id}/requests`} w="fit-content">
              {t("cohort.requests")}
            </Anchor>
          )}
          <Text size="sm" role="status" aria-live="polite">
            {done}
          </Text>
          <CohortActions cohort={cohort} fallback={heading} onDone={setDone} />
        </Stack>
      </Paper>
      <Tabs
        value={tab}
        onChange={(value) => value && setParams({ tab: value }, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List>
          <Tabs.Tab value="roster">{t("tabs.roster", { count: cohort.enrolledCount })}</Tabs.Tab>
          <Tabs.Tab value="waitlist">
            {t("tabs.waitlist", { count: cohort.waitlistCount })}
          </Tabs.Tab>
          <Tabs.Tab value="recordings">{t("tabs.recordings")}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="roster" pt="md">
          <RosterPanel cohort={cohort} />
        </Tabs.Panel>
        <Tabs.Panel value="waitlist" pt="md">
          <WaitlistPanel cohort={cohort} />
        </Tabs.Panel>
        <Tabs.Panel value="recordings" pt="md">
          <RecordingsPanel cohort={cohort} modules={data.modules} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
