import { Button, Grid, SimpleGrid, Skeleton, Stack, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMyCertificates } from "../../api/certificates";
import { type EnrollmentView, useMyEnrollments, useRecentNotifications } from "../../api/learner";
import { useSignedInMe } from "../../app/RequireAuth";
import { EmptyState } from "../../ui/EmptyState";
import { PageState } from "../../ui/PageState";
import { usePageTitle } from "../../ui/usePageTitle";
import { CertificatesSection } from "./CertificatesSection";
import { ContinueLink } from "./ContinueLink";
import { dashboardSections } from "./dashboard";
import { AssignedSection, CompletedSection, InProgressSection } from "./EnrollmentSections";
import { NotificationsSection } from "./NotificationsSection";

/** The action on each course being taken (assigned or in progress): where to carry on. */
function continueAction(enrollment: EnrollmentView) {
  return <ContinueLink enrollment={enrollment} />;
}

function DashboardSkeleton() {
  return (
    <Stack gap="lg" aria-hidden>
      {[0, 1].map((section) => (
        <Stack gap="sm" key={section}>
          <Skeleton height={24} width={200} />
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            {[0, 1, 2].map((i) => (
              <Skeleton key={i} height={150} radius="md" />
            ))}
          </SimpleGrid>
        </Stack>
      ))}
      <Grid>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Skeleton height={160} radius="md" />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Skeleton height={160} radius="md" />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

/**
 * The start page once signed in, from three requests sent together: enrollments (assigned
 * and due first, then in progress, then completed), certificates and the latest notifications.
 */
export function MyLearningPage() {
  const { t } = useTranslation("learner");
  usePageTitle(t("myLearning.title"));
  const me = useSignedInMe();
  const enrollments = useMyEnrollments(me.user.id);
  const certificates = useMyCertificates(me.user.id);
  const notifications = useRecentNotifications(me.user.id);
  const [now] = useState(() => new Date());
  const loading = enrollments.isPending || certificates.isPending || notifications.isPending;
  return (
    <Stack gap="xl">
      <Title order={1}>{t("myLearning.title")}</Title>
      {loading ? (
        <DashboardSkeleton />
      ) : (
        <>
          <PageState
            query={enrollments}
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
            {(data) => {
              const sections = dashboardSections(data.items, now);
              return (
                <Stack gap="xl">
                  <AssignedSection
                    enrollments={sections.assigned}
                    action={continueAction}
                    now={now}
                  />
                  <InProgressSection
                    enrollments={sections.inProgress}
                    action={continueAction}
                    now={now}
                  />
                  <CompletedSection
                    enrollments={sections.completed}
                    certificates={certificates.data}
                  />
                </Stack>
              );
            }}
          </PageState>
          <Grid gap="xl">
            <Grid.Col span={{ base: 12, md: 6 }}>
              <CertificatesSection query={certificates} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 6 }}>
              <NotificationsSection query={notifications} />
            </Grid.Col>
          </Grid>
        </>
      )}
    </Stack>
  );
}
