import { Anchor, Group, Skeleton, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, NavLink, useLocation } from "react-router";
import { type EditorCourse, useEditorCourse } from "../../api/authoring";
import { isNotFound } from "../../api/errors";
import { useSignedInMe } from "../../app/RequireAuth";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";

/** Links between a course's teaching pages: its editor, its cohorts and its community. */
export function CourseNav({ course }: { course: EditorCourse["course"] }) {
  const { t } = useTranslation("cohorts");
  const { pathname } = useLocation();
  const base = `/teaching/courses/${course.id}`;
  const links = [
    { to: base, label: t("nav.editor") },
    ...(course.delivery === "cohort-based"
      ? [{ to: `${base}/cohorts`, label: t("nav.cohorts") }]
      : []),
    { to: `${base}/community`, label: t("nav.community") },
  ];
  return (
    <Group component="nav" aria-label={t("nav.label")} gap="lg">
      {links.map((link) => (
        <Anchor
          key={link.to}
          component={NavLink}
          to={link.to}
          end
          fw={500}
          underline={pathname === link.to ? "always" : "hover"}
        >
          {link.label}
        </Anchor>
      ))}
    </Group>
  );
}

/**
 * The page shown instead when the thing is unknown or the person may not run it (the caller
 * sets the document's title).
 */
export function Refusal({ title, text, link }: { title: string; text: string; link?: ReactNode }) {
  return (
    <Stack gap="sm" maw={640}>
      <Title order={1}>{title}</Title>
      <Text>{text}</Text>
      {link}
    </Stack>
  );
}

/**
 * A course's teaching page (`/teaching/courses/:courseId/…`): the course with its outline
 * (`GET /courses/{id}`, the editor's query), the page's h1 and the links between the course's
 * pages. Only its editors get the page: they may do everything it offers (the server still
 * decides each action); anyone else is told so, and an unknown course says it is not found.
 */
export function CourseFrame({
  courseId,
  title,
  intro,
  children,
}: {
  courseId: string;
  /** The h1 and the browser tab's title, from the course's title once it is known. */
  title: (courseTitle: string | null) => string;
  intro: string;
  children: (course: EditorCourse) => ReactNode;
}) {
  const { t } = useTranslation("cohorts");
  const me = useSignedInMe();
  const course = useEditorCourse(me.user.id, courseId);
  const heading = title(course.data?.course.title ?? null);
  const notFound = isNotFound(course.error, "courseId");
  const notEditor = !!course.data && !course.data.abilities.edit;
  usePageTitle(
    notFound ? t("refusal.courseNotFoundTitle") : notEditor ? t("refusal.notEditorTitle") : heading,
  );
  if (notFound)
    return (
      <Refusal
        title={t("refusal.courseNotFoundTitle")}
        text={t("refusal.courseNotFound")}
        link={
          <Anchor component={Link} to="/teaching">
            {t("refusal.toTeaching")}
          </Anchor>
        }
      />
    );
  if (notEditor)
    return (
      <Refusal
        title={t("refusal.notEditorTitle")}
        text={t("refusal.notEditor")}
        link={
          <Anchor component={Link} to={`/courses/${courseId}`}>
            {t("refusal.toCourse")}
          </Anchor>
        }
      />
    );
  return (
    <Stack gap="lg" maw={1100}>
      <Stack gap="sm">
        <Title order={1} style={{ overflowWrap: "anywhere" }}>
          {heading}
        </Title>
        {course.data ? <CourseNav course={course.data.course} /> : <Skeleton height={24} w={280} />}
        <Text c="dimmed">{intro}</Text>
      </Stack>
      <PageState query={course} pending={<Skeleton height={320} radius="md" />}>
        {children}
      </PageState>
    </Stack>
  );
}
