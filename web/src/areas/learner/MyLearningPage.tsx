import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Progress,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type EnrollmentView, useMyEnrollments } from "../../api/learner";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { EmptyState } from "../../ui/EmptyState";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";

const STATUS_COLORS: Record<EnrollmentView["status"], string> = {
  "pending-payment": "yellow",
  active: "indigo",
  completed: "teal",
  suspended: "gray",
  dropped: "gray",
  expired: "gray",
};

function EnrollmentCard({ enrollment }: { enrollment: EnrollmentView }) {
  const { t } = useTranslation("learner");
  const format = useFormat();
  const percent = Math.round(enrollment.progressPercent);
  return (
    <Card withBorder radius="md" padding="md" component="li">
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Title order={2} size="h4">
            <Anchor component={Link} to={`/courses/${enrollment.courseId}`}>
              {enrollment.course.title}
            </Anchor>
          </Title>
          <Badge color={STATUS_COLORS[enrollment.status]} variant="dot" style={{ flexShrink: 0 }}>
            {t(`myLearning.status.${enrollment.status}`)}
          </Badge>
        </Group>
        {enrollment.cohortName && (
          <Text size="sm" c="dimmed">
            {enrollment.cohortName}
          </Text>
        )}
        <Progress
          value={percent}
          aria-label={t("myLearning.progressLabel", { course: enrollment.course.title })}
        />
        <Group justify="space-between" gap="xs">
          <Text size="sm">{t("myLearning.progress", { percent: format.percent(percent) })}</Text>
          <Text size="sm" c="dimmed">
            {t("myLearning.lessons", {
              completed: format.number(enrollment.lessonsCompleted),
              total: format.number(enrollment.lessonsTotal),
            })}
          </Text>
        </Group>
        <Group gap="xs">
          <Text size="sm" c="dimmed">
            {t("myLearning.enrolledOn", { date: format.date(enrollment.enrolledAt) })}
          </Text>
          {enrollment.dueAt && (
            <Text size="sm">{t("myLearning.dueOn", { date: format.date(enrollment.dueAt) })}</Text>
          )}
          {enrollment.isMandatory && (
            <Badge color="red" variant="dot" size="sm">
              {t("myLearning.mandatory")}
            </Badge>
          )}
        </Group>
      </Stack>
    </Card>
  );
}

function CardsSkeleton() {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} aria-hidden>
      {[0, 1, 2].map((i) => (
        <Skeleton key={i} height={150} radius="md" />
      ))}
    </SimpleGrid>
  );
}

/** The start page once signed in: the person's enrollments with their progress. */
export function MyLearningPage() {
  const { t } = useTranslation("learner");
  usePageTitle(t("myLearning.title"));
  const me = useSignedInMe();
  const enrollments = useMyEnrollments(me.user.id);
  return (
    <Stack gap="lg">
      <Title order={1}>{t("myLearning.title")}</Title>
      <PageState
        query={enrollments}
        pending={<CardsSkeleton />}
        isEmpty={(data) => data.items.length === 0}
        empty={
          <EmptyState
            title={t("myLearning.emptyTitle")}
            reason={t("myLearning.emptyBody")}
            action={
              <Button component={Link} to="/catalog">
                {t("myLearning.browseCatalog")}
              </Button>
            }
          />
        }
      >
        {(data) => (
          <SimpleGrid
            cols={{ base: 1, sm: 2, lg: 3 }}
            component="ul"
            aria-label={t("myLearning.listLabel")}
            style={{ listStyle: "none", padding: 0, margin: 0 }}
          >
            {data.items.map((enrollment) => (
              <EnrollmentCard key={enrollment.id} enrollment={enrollment} />
            ))}
          </SimpleGrid>
        )}
      </PageState>
    </Stack>
  );
}
