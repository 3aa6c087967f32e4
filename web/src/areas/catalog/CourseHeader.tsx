import { Anchor, List, Paper, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type Course, type CourseDetail, useCourse } from "../../api/catalog";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { CourseBadges, RatingText } from "./CourseFacts";

/** The course's title (the page's one h1), subtitle, instructor, badges and rating. */
export function CourseHeader({
  course,
  instructor,
}: {
  course: Course;
  instructor: CourseDetail["instructor"];
}) {
  const { t } = useTranslation("catalog");
  return (
    <Stack gap="xs">
      <Title order={1}>{course.title}</Title>
      {course.subtitle && (
        <Text size="lg" c="dimmed">
          {course.subtitle}
        </Text>
      )}
      <Text size="sm">{t("course.instructor", { name: instructor.name })}</Text>
      <CourseBadges course={course} />
      <RatingText rating={course.rating} />
    </Stack>
  );
}

/** Duration, language and ratings as a definition list. */
export function FactsSection({ course }: { course: Course }) {
  const { t } = useTranslation("catalog");
  const format = useFormat();
  return (
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

/** The courses to complete first, each linked. */
export function PrerequisitesSection({ courseIds }: { courseIds: string[] }) {
  const { t } = useTranslation("catalog");
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="prerequisites">
      <Title order={2} size="h3" id="prerequisites" mb="xs">
        {t("detail.prerequisites")}
      </Title>
      <Text size="sm" mb="xs">
        {t("detail.prerequisitesBody")}
      </Text>
      <List spacing="xs">
        {courseIds.map((id) => (
          <List.Item key={id}>
            <Prerequisite courseId={id} />
          </List.Item>
        ))}
      </List>
    </Paper>
  );
}
