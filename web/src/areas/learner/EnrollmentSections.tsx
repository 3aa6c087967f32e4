import { Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Certificate } from "../../api/certificates";
import type { EnrollmentView } from "../../api/learner";
import { useFormat } from "../../i18n/format";
import { EnrollmentCard } from "./EnrollmentCard";
import { CARD_LIST_STYLE, Section } from "./Section";

const GRID = { base: 1, sm: 2, lg: 3 } as const;

/** Assigned and due: overdue and compliance courses first, each with its deadline. */
export function AssignedSection({
  enrollments,
  action,
  now,
}: {
  enrollments: EnrollmentView[];
  action: (enrollment: EnrollmentView) => ReactNode;
  now: Date;
}) {
  const { t } = useTranslation("learner");
  return (
    <Section
      id="my-learning-assigned"
      title={t("myLearning.assigned.title")}
      empty={
        enrollments.length === 0
          ? {
              title: t("myLearning.assigned.emptyTitle"),
              reason: t("myLearning.assigned.emptyBody"),
            }
          : null
      }
    >
      <SimpleGrid
        cols={GRID}
        component="ul"
        aria-label={t("myLearning.assigned.listLabel")}
        style={CARD_LIST_STYLE}
      >
        {enrollments.map((e) => (
          <EnrollmentCard key={e.id} enrollment={e} action={action(e)} now={now} />
        ))}
      </SimpleGrid>
    </Section>
  );
}

/** Courses the person chose and is taking, latest activity first. */
export function InProgressSection({
  enrollments,
  action,
  now,
}: {
  enrollments: EnrollmentView[];
  action: (enrollment: EnrollmentView) => ReactNode;
  now: Date;
}) {
  const { t } = useTranslation("learner");
  return (
    <Section
      id="my-learning-in-progress"
      title={t("myLearning.inProgress.title")}
      empty={
        enrollments.length === 0
          ? {
              title: t("myLearning.inProgress.emptyTitle"),
              reason: t("myLearning.inProgress.emptyBody"),
              action: (
                <Anchor component={Link} to="/catalog" size="sm">
                  {t("myLearning.browseCatalog")}
                </Anchor>
              ),
            }
          : null
      }
    >
      <SimpleGrid
        cols={GRID}
        component="ul"
        aria-label={t("myLearning.listLabel")}
        style={CARD_LIST_STYLE}
      >
        {enrollments.map((e) => (
          <EnrollmentCard key={e.id} enrollment={e} action={action(e)} now={now} />
        ))}
      </SimpleGrid>
    </Section>
  );
}

/** Completed courses, latest first, each with its certificate when one was issued. */
export function CompletedSection({
  enrollments,
  certificates,
}: {
  enrollments: EnrollmentView[];
  /** The person's certificates, when they loaded (matched to enrollments by id). */
  certificates: Certificate[] | undefined;
}) {
  const { t } = useTranslation("learner");
  const format = useFormat();
  return (
    <Section
      id="my-learning-completed"
      title={t("myLearning.completed.title")}
      empty={
        enrollments.length === 0
          ? {
              title: t("myLearning.completed.emptyTitle"),
              reason: t("myLearning.completed.emptyBody"),
            }
          : null
      }
    >
      <SimpleGrid
        cols={GRID}
        component="ul"
        aria-label={t("myLearning.completed.listLabel")}
        style={CARD_LIST_STYLE}
      >
        {enrollments.map((e) => {
          const certificate = certificates?.find(
            (c) => c.enrollmentId === e.id && c.status !== "revoked",
          );
          return (
            <Card key={e.id} withBorder radius="md" padding="md" component="li">
              <Stack gap="xs">
                <Title order={3} size="h4">
                  <Anchor component={Link} to={`/courses/${e.courseId}`}>
                    {e.course.title}
                  </Anchor>
                </Title>
                <Group justify="space-between" gap="xs">
                  <Text size="sm" c="dimmed">
                    {e.completedAt
                      ? t("myLearning.completed.on", { date: format.date(e.completedAt) })
                      : t("myLearning.status.completed")}
                  </Text>
                  {certificate && (
                    <Anchor
                      component={Link}
                      to={`/certificates/${certificate.id}`}
                      size="sm"
                      aria-label={`${t("myLearning.completed.certificate")}: ${e.course.title}`}
                    >
                      {t("myLearning.completed.certificate")}
                    </Anchor>
                  )}
                </Group>
              </Stack>
            </Card>
          );
        })}
      </SimpleGrid>
    </Section>
  );
}
