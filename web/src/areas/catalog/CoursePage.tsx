import {
  Accordion,
  Alert,
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  List,
  Paper,
  Radio,
  Skeleton,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import {
  type Cohort,
  type CourseDetail,
  useCourse,
  useCourseCohorts,
  useEnroll,
  useMyEnrollmentRequests,
  useRequestEnrollment,
} from "../../api/catalog";
import { ApiError } from "../../api/errors";
import { useMyEnrollments } from "../../api/learner";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { CourseAnnouncementsLink } from "../feedback/CourseAnnouncementsLink";
import { CourseRatings } from "../feedback/CourseRatings";
import { CourseBadges, RatingText, usePrice } from "./CourseFacts";

type Detail = CourseDetail;

/** An unknown (or invisible) course, or an address that is no course id at all. */
function isNotFound(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    (error.status === 404 || (error.status === 400 && error.field === "courseId"))
  );
}

function CourseNotFound() {
  const { t } = useTranslation("catalog");
  usePageTitle(t("detail.notFoundTitle"));
  return (
    <Stack gap="md" maw={560}>
      <Title order={1}>{t("detail.notFoundTitle")}</Title>
      <Text>{t("detail.notFoundBody")}</Text>
      <Anchor component={Link} to="/catalog">
        {t("detail.back")}
      </Anchor>
    </Stack>
  );
}

function Outline({ modules }: { modules: Detail["modules"] }) {
  const { t } = useTranslation("catalog");
  const format = useFormat();
  const withLessons = modules.filter((m) => m.lessons.length > 0);
  if (withLessons.length === 0) return <Text c="dimmed">{t("detail.emptyOutline")}</Text>;
  return (
    <Accordion multiple variant="separated" defaultValue={[withLessons[0]?.id ?? ""]}>
      {withLessons.map((module) => (
        <Accordion.Item key={module.id} value={module.id}>
          <Accordion.Control>
            <Text fw={600}>{module.title}</Text>
            <Text size="sm" c="dimmed">
              {t("detail.moduleLessons", { count: module.lessons.length })}
            </Text>
          </Accordion.Control>
          <Accordion.Panel>
            <List spacing="xs">
              {module.lessons.map((lesson) => (
                <List.Item key={lesson.id}>
                  <Group gap="xs">
                    <Text size="sm">{lesson.title}</Text>
                    {lesson.durationMinutes > 0 && (
                      <Text size="sm" c="dimmed">
                        {format.duration(lesson.durationMinutes)}
                      </Text>
                    )}
                    {lesson.isPreview && (
                      <Badge size="sm" variant="outline">
                        {t("detail.preview")}
                      </Badge>
                    )}
                  </Group>
                </List.Item>
              ))}
            </List>
          </Accordion.Panel>
        </Accordion.Item>
      ))}
    </Accordion>
  );
}

/** A prerequisite course by title, linked to its page (its detail is fetched, and cached, here). */
function Prerequisite({ courseId }: { courseId: string }) {
  const { t } = useTranslation("catalog");
  const me = useSignedInMe();
  const course = useCourse(me.user.id, courseId);
  if (course.isPending) return <Skeleton height={18} width={200} />;
  if (course.isError) return <Text size="sm">{t("detail.prerequisiteUnknown")}</Text>;
  return (
    <Anchor component={Link} to={`/courses/${courseId}`}>
      {course.data.course.title}
    </Anchor>
  );
}

/** The way in for this course: enroll (open), ask (approval), or what else it takes. */
function EnrollPanel({ detail }: { detail: Detail }) {
  const { t } = useTranslation("catalog");
  const format = useFormat();
  const me = useSignedInMe();
  const course = detail.course;
  const cohortBased = course.delivery === "cohort-based";
  const enrollments = useMyEnrollments(me.user.id);
  const cohorts = useCourseCohorts(me.user.id, course.id, cohortBased);
  const requests = useMyEnrollmentRequests(me.user.id, course.enrollmentType === "approval");
  const enroll = useEnroll(me.user.id);
  const ask = useRequestEnrollment(me.user.id);
  const [cohortId, setCohortId] = useState<string | null>(null);

  const mine = enrollments.data?.items.find(
    (e) => e.courseId === course.id && e.status !== "dropped" && e.status !== "expired",
  );
  const request = requests.data
    ?.filter((r) => r.courseId === course.id)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  const openCohorts = (cohorts.data ?? []).filter((c) => c.status === "open");
  const chosen = cohortBased ? (cohortId ?? undefined) : undefined;

  if (enrollments.isPending) return <Skeleton height={80} radius="md" />;
  if (mine || enroll.data?.result === "enrolled") {
    return (
      // The message is the alert's body, not its title: a tinted title is too faint to read.
      <Alert color="teal" variant="light" role="status">
        <Stack gap="xs">
          <Text size="sm" fw={600}>
            {t("enroll.enrolled")}
          </Text>
          <Anchor component={Link} to="/" size="sm">
            {t("enroll.goToMyLearning")}
          </Anchor>
        </Stack>
      </Alert>
    );
  }
  if (enroll.data?.result === "waitlisted") {
    return (
      <Alert color="yellow" variant="light" role="status">
        {t("enroll.waitlisted")}
      </Alert>
    );
  }

  const cohortChoice = cohortBased && (
    <Stack gap="xs">
      {cohorts.isPending ? (
        <Skeleton height={60} />
      ) : cohorts.isError ? (
        <ApiErrorAlert error={cohorts.error} onRetry={() => void cohorts.refetch()} />
      ) : openCohorts.length === 0 ? (
        <Text size="sm">{t("detail.noCohorts")}</Text>
      ) : (
        <Radio.Group label={t("detail.chooseCohort")} value={cohortId} onChange={setCohortId}>
          <Stack gap="xs" mt="xs">
            {openCohorts.map((cohort) => (
              <Radio
                key={cohort.id}
                value={cohort.id}
                label={cohort.name}
                description={`${t("detail.cohortDates", {
                  start: format.date(cohort.startsAt),
                  end: format.date(cohort.endsAt),
                })} · ${
                  cohort.seatsLeft > 0
                    ? t("detail.seatsLeft", { count: cohort.seatsLeft })
                    : t("detail.full")
                }`}
              />
            ))}
          </Stack>
        </Radio.Group>
      )}
    </Stack>
  );

  switch (course.enrollmentType) {
    case "open":
      return (
        <Stack gap="sm">
          {cohortChoice}
          {enroll.isError && <ApiErrorAlert error={enroll.error} />}
          <Button
            onClick={() => enroll.mutate({ courseId: course.id, cohortId: chosen })}
            loading={enroll.isPending}
            disabled={cohortBased && !chosen}
          >
            {t("enroll.enroll")}
          </Button>
        </Stack>
      );
    case "approval":
      if (requests.isPending) return <Skeleton height={80} radius="md" />;
      if (request && request.status !== "withdrawn") {
        return (
          <Alert
            color={request.status === "rejected" ? "red" : "yellow"}
            variant="light"
            role="status"
          >
            {t(`enroll.requestStatus.${request.status}`)}
          </Alert>
        );
      }
      return (
        <Stack gap="sm">
          <Text size="sm">{t("enroll.approvalBody")}</Text>
          {cohortChoice}
          {ask.isError && <ApiErrorAlert error={ask.error} />}
          <Button
            onClick={() => ask.mutate({ courseId: course.id, cohortId: chosen })}
            loading={ask.isPending}
            disabled={cohortBased && !chosen}
          >
            {t("enroll.requestAccess")}
          </Button>
        </Stack>
      );
    case "paid":
      // Checkout (POST /enrollments/checkout) is the next step of this area; not offered yet.
      return <Text size="sm">{t("enroll.paidBody")}</Text>;
    case "invite":
      return <Text size="sm">{t("enroll.inviteBody")}</Text>;
    default:
      return <Text size="sm">{t("enroll.closed")}</Text>;
  }
}

const COHORT_COLORS: Record<Cohort["status"], string> = {
  scheduled: "gray",
  open: "teal",
  "in-progress": "indigo",
  completed: "gray",
  cancelled: "red",
};

/** A cohort-based course's coming and running cohorts: dates, status and seats left. */
function CohortsSection({ courseId }: { courseId: string }) {
  const { t } = useTranslation("catalog");
  const format = useFormat();
  const me = useSignedInMe();
  const cohorts = useCourseCohorts(me.user.id, courseId, true);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="cohorts">
      <Title order={2} size="h3" id="cohorts" mb="xs">
        {t("detail.cohorts")}
      </Title>
      <PageState
        query={cohorts}
        pending={<Skeleton height={60} />}
        isEmpty={(data) => upcoming(data).length === 0}
        empty={<Text size="sm">{t("detail.noCohorts")}</Text>}
      >
        {(data) => (
          <Stack gap="sm" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
            {upcoming(data).map((cohort) => (
              <Stack gap={2} key={cohort.id} component="li">
                <Group gap="xs" justify="space-between" wrap="nowrap">
                  <Text size="sm" fw={600}>
                    {cohort.name}
                  </Text>
                  <Badge variant="dot" color={COHORT_COLORS[cohort.status]} size="sm">
                    {t(`detail.cohortStatus.${cohort.status}`)}
                  </Badge>
                </Group>
                <Text size="sm">
                  {t("detail.cohortDates", {
                    start: format.date(cohort.startsAt),
                    end: format.date(cohort.endsAt),
                  })}
                </Text>
                <Text size="sm" c="dimmed">
                  {cohort.seatsLeft > 0
                    ? t("detail.seatsLeft", { count: cohort.seatsLeft })
                    : t("detail.full")}
                </Text>
              </Stack>
            ))}
          </Stack>
        )}
      </PageState>
    </Paper>
  );
}

/** Cohorts still to come or running, soonest first. */
function upcoming(cohorts: Cohort[]): Cohort[] {
  return cohorts
    .filter((c) => c.status !== "completed" && c.status !== "cancelled")
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
}

function CourseView({ detail }: { detail: Detail }) {
  const { t } = useTranslation("catalog");
  const format = useFormat();
  const price = usePrice();
  const course = detail.course;
  usePageTitle(course.title);
  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/catalog" size="sm">
        {t("detail.back")}
      </Anchor>
      <Stack gap="xs">
        <Title order={1}>{course.title}</Title>
        {course.subtitle && (
          <Text size="lg" c="dimmed">
            {course.subtitle}
          </Text>
        )}
        <CourseBadges course={course} />
        <RatingText rating={course.rating} />
      </Stack>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="lg">
            <Stack gap="xs" component="section" aria-labelledby="course-about">
              <Title order={2} size="h3" id="course-about">
                {t("detail.about")}
              </Title>
              <Text style={{ whiteSpace: "pre-line" }}>{course.description}</Text>
            </Stack>
            {course.learningOutcomes.length > 0 && (
              <Stack gap="xs" component="section" aria-labelledby="course-outcomes">
                <Title order={2} size="h3" id="course-outcomes">
                  {t("detail.outcomes")}
                </Title>
                <List spacing="xs">
                  {course.learningOutcomes.map((outcome) => (
                    <List.Item key={outcome}>{outcome}</List.Item>
                  ))}
                </List>
              </Stack>
            )}
            <Stack gap="xs" component="section" aria-labelledby="course-outline">
              <Title order={2} size="h3" id="course-outline">
                {t("detail.outline")}
              </Title>
              <Outline modules={detail.modules} />
            </Stack>
            {course.requirements.length > 0 && (
              <Stack gap="xs" component="section" aria-labelledby="course-requirements">
                <Title order={2} size="h3" id="course-requirements">
                  {t("detail.requirements")}
                </Title>
                <List spacing="xs">
                  {course.requirements.map((requirement) => (
                    <List.Item key={requirement}>{requirement}</List.Item>
                  ))}
                </List>
              </Stack>
            )}
            {course.targetAudience && (
              <Stack gap="xs" component="section" aria-labelledby="course-audience">
                <Title order={2} size="h3" id="course-audience">
                  {t("detail.audience")}
                </Title>
                <Text>{course.targetAudience}</Text>
              </Stack>
            )}
            <CourseRatings courseId={course.id} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            <Paper withBorder p="md" radius="md" component="section" aria-labelledby="enroll">
              <Stack gap="sm">
                <Title order={2} size="h3" id="enroll">
                  {t("enroll.title")}
                </Title>
                <Text fw={700} size="xl">
                  {price(course)}
                </Text>
                <EnrollPanel detail={detail} />
                <CourseAnnouncementsLink courseId={course.id} />
              </Stack>
            </Paper>
            <Paper withBorder p="md" radius="md" component="section" aria-labelledby="facts">
              <Title order={2} size="h3" id="facts" mb="xs">
                {t("detail.facts")}
              </Title>
              <dl className="facts">
                <dt>{t("detail.duration")}</dt>
                <dd>{format.duration(course.durationMinutes)}</dd>
                <dt>{t("detail.language")}</dt>
                <dd>{format.languageName(course.language)}</dd>
                <dt>{t("detail.ratings")}</dt>
                <dd>
                  <RatingText rating={course.rating} />
                </dd>
              </dl>
            </Paper>
            {course.delivery === "cohort-based" && <CohortsSection courseId={course.id} />}
            {course.prerequisiteCourseIds.length > 0 && (
              <Paper
                withBorder
                p="md"
                radius="md"
                component="section"
                aria-labelledby="prerequisites"
              >
                <Title order={2} size="h3" id="prerequisites" mb="xs">
                  {t("detail.prerequisites")}
                </Title>
                <Text size="sm" mb="xs">
                  {t("detail.prerequisitesBody")}
                </Text>
                <List spacing="xs">
                  {course.prerequisiteCourseIds.map((id) => (
                    <List.Item key={id}>
                      <Prerequisite courseId={id} />
                    </List.Item>
                  ))}
                </List>
              </Paper>
            )}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function CourseSkeleton() {
  return (
    <Stack gap="lg" aria-hidden>
      <Skeleton height={16} width={160} />
      <Skeleton height={36} width="60%" />
      <Skeleton height={24} width={240} />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Skeleton height={320} radius="md" />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Skeleton height={200} radius="md" />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

/** A course's page: what it teaches, its outline, ratings and the way to enroll. */
export function CoursePage() {
  const { courseId = "" } = useParams();
  const me = useSignedInMe();
  const course = useCourse(me.user.id, courseId);
  if (course.isError && isNotFound(course.error)) return <CourseNotFound />;
  return (
    <PageState query={course} pending={<CourseSkeleton />}>
      {(detail) => <CourseView detail={detail} />}
    </PageState>
  );
}
