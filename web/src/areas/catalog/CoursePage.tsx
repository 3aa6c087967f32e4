import { Alert, Anchor, Grid, Paper, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useParams, useSearchParams } from "react-router";
import { type CourseDetail, useCourse } from "../../api/catalog";
import { isNotFound } from "../../api/errors";
import { useSignedInMe } from "../../app/RequireAuth";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { CourseAnnouncementsLink } from "../feedback/CourseAnnouncementsLink";
import { CourseRatings } from "../feedback/CourseRatings";
import { CourseQuizzes } from "../quiz/CourseQuizzes";
import { CohortsSection } from "./CohortsSection";
import { usePrice } from "./CourseFacts";
import { CourseHeader, FactsSection, PrerequisitesSection } from "./CourseHeader";
import { CourseDescription } from "./CourseOutline";
import { EnrollPanel } from "./EnrollPanel";
import { useCourseEnrollment } from "./useCourseEnrollment";

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

/** The price and the way in (or where the person stands). */
function EnrollSection({ detail }: { detail: CourseDetail }) {
  const { t } = useTranslation("catalog");
  const price = usePrice();
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="enroll">
      <Stack gap="sm">
        <Title order={2} size="h3" id="enroll">
          {t("enroll.title")}
        </Title>
        <Text fw={700} size="xl">
          {price(detail.course)}
        </Text>
        <EnrollPanel course={detail.course} />
      </Stack>
    </Paper>
  );
}

/**
 * Sections only for people enrolled in the course (continue learning, quizzes, ratings):
 * each area adds its own line here, reading `enrollment` (active, suspended or completed).
 */
function EnrolledSections({ detail }: { detail: CourseDetail }) {
  const { enrollment, enrolled } = useCourseEnrollment(detail.course.id);
  if (!enrollment || !enrolled) return null;
  return (
    <>
      {/* One line per enrolled-learner section, e.g. <ContinueLearning enrollment={enrollment} /> */}
      <CourseAnnouncementsLink courseId={detail.course.id} />
    </>
  );
}

function CourseView({ detail, asLearner }: { detail: CourseDetail; asLearner: boolean }) {
  const { t } = useTranslation("catalog");
  const course = detail.course;
  usePageTitle(course.title);
  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/catalog" size="sm">
        {t("detail.back")}
      </Anchor>
      {asLearner && detail.abilities.edit && (
        <Alert color="blue" variant="light" title={t("detail.previewTitle")}>
          <Stack gap={4}>
            <Text size="sm">{t("detail.previewText")}</Text>
            <Anchor component={Link} to={`/teaching/courses/${course.id}`} size="sm">
              {t("detail.previewBack")}
            </Anchor>
          </Stack>
        </Alert>
      )}
      <CourseHeader course={course} instructor={detail.instructor} />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="lg">
            <EnrolledSections detail={detail} />
            <CourseDescription detail={detail} />
            <CourseQuizzes courseId={course.id} />
            <CourseRatings courseId={course.id} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            <EnrollSection detail={detail} />
            <FactsSection course={course} />
            {course.delivery === "cohort-based" && <CohortsSection courseId={course.id} />}
            {course.prerequisiteCourseIds.length > 0 && (
              <PrerequisitesSection courseIds={course.prerequisiteCourseIds} />
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

/**
 * A course's page: what it teaches, its outline, ratings and the way to enroll. With
 * `?view=learner` its editors see it as learners do, under a note leading back to the editor.
 */
export function CoursePage() {
  const { courseId = "" } = useParams();
  const me = useSignedInMe();
  const [params] = useSearchParams();
  const asLearner = params.get("view") === "learner";
  const course = useCourse(me.user.id, courseId, asLearner);
  if (course.isError && isNotFound(course.error, "courseId")) return <CourseNotFound />;
  return (
    <PageState query={course} pending={<CourseSkeleton />}>
      {(detail) => <CourseView detail={detail} asLearner={asLearner} />}
    </PageState>
  );
}
