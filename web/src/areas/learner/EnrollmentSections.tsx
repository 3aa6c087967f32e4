import { Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Certificate } from "../../api/certificates";
import type { EnrollmentView } from "../../api/learner";
import { PreloadLink } from "../../app/PreloadLink";
import { useFormat } from "../../i18n/format";
import { EnrollmentCard } from "./EnrollmentCard";
import { CARD_LIST_STYLE, Section } from "./Section";

const GRID = { base: 1, sm: 2, lg: 3 } as const;

/** A section of enrollments as a grid of cards, or, when there are none, why it is empty. */
function EnrollmentGridSection({
  id,
  title,
  listLabel,
  empty,
  enrollments,
  card,
}: {
  id: string;
  title: string;
  /** The list's name for screen readers. */
  listLabel: string;
  empty: { title: string; reason: string; action?: ReactNode };
  enrollments: EnrollmentView[];
  card: (enrollment: EnrollmentView) => ReactNode;
}) {
  return (
    <Section id={id} title={title} empty={enrollments.length === 0 ? empty : null}>
      <SimpleGrid cols={GRID} component="ul" aria-label={listLabel} style={CARD_LIST_STYLE}>
        {enrollments.map(card)}
      </SimpleGrid>
    </Section>
  );
}

/** Enrollments shown as cards, each with the action `action` gives it. */
interface ActionCardsProps {
  enrollments: EnrollmentView[];
  action: (enrollment: EnrollmentView) => ReactNode;
  now: Date;
}

/** Assigned and due: overdue and compliance courses first, each with its deadline. */
export function AssignedSection({ enrollments, action, now }: ActionCardsProps) {
  const { t } = useTranslation("learner");
  return (
    <EnrollmentGridSection
      id="my-learning-assigned"
      title={t("myLearning.assigned.title")}
      listLabel={t("myLearning.assigned.listLabel")}
      empty={{
        title: t("myLearning.assigned.emptyTitle"),
        reason: t("myLearning.assigned.emptyBody"),
      }}
      enrollments={enrollments}
      card={(e) => <EnrollmentCard key={e.id} enrollment={e} action={action(e)} now={now} />}
    />
  );
}

/** Courses the person chose and is taking, latest activity first. */
export function InProgressSection({ enrollments, action, now }: ActionCardsProps) {
  const { t } = useTranslation("learner");
  return (
    <EnrollmentGridSection
      id="my-learning-in-progress"
      title={t("myLearning.inProgress.title")}
      listLabel={t("myLearning.listLabel")}
      empty={{
        title: t("myLearning.inProgress.emptyTitle"),
        reason: t("myLearning.inProgress.emptyBody"),
        action: (
          <Anchor component={Link} to="/catalog" size="sm">
            {t("myLearning.browseCatalog")}
          </Anchor>
        ),
      }}
      enrollments={enrollments}
      card={(e) => <EnrollmentCard key={e.id} enrollment={e} action={action(e)} now={now} />}
    />
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
    <EnrollmentGridSection
      id="my-learning-completed"
      title={t("myLearning.completed.title")}
      listLabel={t("myLearning.completed.listLabel")}
      empty={{
        title: t("myLearning.completed.emptyTitle"),
        reason: t("myLearning.completed.emptyBody"),
      }}
      enrollments={enrollments}
      card={(e) => {
        const certificate = certificates?.find(
          (c) => c.enrollmentId === e.id && c.status !== "revoked",
        );
        return (
          <Card key={e.id} withBorder radius="md" padding="md" component="li">
            <Stack gap="xs">
              <Title order={3} size="h4">
                <Anchor component={PreloadLink} to={`/courses/${e.courseId}`}>
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
      }}
    />
  );
}
