import {
  Blockquote,
  Button,
  Group,
  Paper,
  Rating,
  Skeleton,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { useTranslation } from "react-i18next";
import { type CourseRating, useCourseRatings, useMyRating } from "../../api/feedback";
import { useMyEnrollments } from "../../api/learner";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { PageState } from "../../ui/PageState";
import { RatingForm } from "./RatingForm";

/** Enrollments whose learner may rate the course (the server's rule). */
const MAY_RATE = new Set(["active", "completed", "expired"]);

function Review({ review, divided }: { review: CourseRating; divided: boolean }) {
  const { t } = useTranslation("feedback");
  const format = useFormat();
  return (
    <Stack
      gap={4}
      component="li"
      pt={divided ? "md" : 0}
      style={divided ? { borderTop: "1px solid var(--mantine-color-default-border)" } : undefined}
    >
      <Group gap="xs">
        <Rating value={review.rating} readOnly size="sm" aria-hidden />
        <Text size="sm" fw={600}>
          {t("reviews.stars", { count: review.rating })}
        </Text>
        {review.title && <Text fw={600}>{review.title}</Text>}
      </Group>
      <Text size="sm" c="dimmed">
        {t("reviews.by", {
          name: review.reviewer ?? t("reviews.anonymous"),
          date: format.date(review.createdAt),
        })}
      </Text>
      {review.content && <Text style={{ whiteSpace: "pre-line" }}>{review.content}</Text>}
      {review.instructorResponse && (
        <Blockquote p="sm" color="indigo" cite={t("reviews.instructorAnswer")}>
          <Text size="sm" style={{ whiteSpace: "pre-line" }}>
            {review.instructorResponse}
          </Text>
        </Blockquote>
      )}
    </Stack>
  );
}

/** The person's own rating, offered to the course's learners. */
function MyRating({ courseId }: { courseId: string }) {
  const { t } = useTranslation("feedback");
  const me = useSignedInMe();
  const enrollments = useMyEnrollments(me.user.id);
  const mayRate = !!enrollments.data?.items.some(
    (e) => e.courseId === courseId && MAY_RATE.has(e.status),
  );
  const mine = useMyRating(me.user.id, courseId, mayRate);
  if (!mayRate) return null;
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Title order={3} size="h4">
          {t("rate.heading")}
        </Title>
        <PageState query={mine} pending={<Skeleton height={120} />}>
          {(rating) => <RatingForm courseId={courseId} mine={rating} />}
        </PageState>
      </Stack>
    </Paper>
  );
}

/**
 * A course's ratings on its page: the average and count, the person's own rating and review
 * (when they take or took the course), and the reviews with the instructor's answers, a page
 * at a time: "Show more reviews" appends the next page below those already shown.
 */
export function CourseRatings({ courseId }: { courseId: string }) {
  const { t } = useTranslation("feedback");
  const format = useFormat();
  const me = useSignedInMe();
  const ratings = useCourseRatings(me.user.id, courseId);
  return (
    <Stack gap="sm" component="section" aria-labelledby="course-ratings">
      <Title order={2} size="h3" id="course-ratings">
        {t("reviews.title")}
      </Title>
      <MyRating courseId={courseId} />
      <PageState
        query={ratings}
        pending={<Skeleton height={120} />}
        isEmpty={(data) => (data.pages[0]?.items.length ?? 0) === 0}
        empty={<Text c="dimmed">{t("reviews.empty")}</Text>}
      >
        {(data) => {
          const reviews = data.pages.flatMap((p) => p.items);
          // The newest page's figures: the summary and total as of the last request.
          const meta = data.pages[data.pages.length - 1]?.meta;
          return (
            <Stack gap="md">
              {meta && (
                <Group gap="xs">
                  <Rating value={meta.summary.average} fractions={10} readOnly aria-hidden />
                  <Text fw={600}>
                    {t("reviews.summary", {
                      average: format.number(meta.summary.average),
                      count: meta.summary.count,
                    })}
                  </Text>
                </Group>
              )}
              <Stack
                gap="md"
                component="ul"
                aria-label={t("reviews.listLabel")}
                style={{ listStyle: "none", padding: 0, margin: 0 }}
              >
                {reviews.map((review, i) => (
                  <Review key={review.id} review={review} divided={i > 0} />
                ))}
              </Stack>
              {meta && meta.pagination.total > reviews.length && (
                <Text size="sm" c="dimmed" role="status">
                  {t("reviews.shown", {
                    shown: format.number(reviews.length),
                    count: meta.pagination.total,
                    total: format.number(meta.pagination.total),
                  })}
                </Text>
              )}
              {ratings.isFetchNextPageError && (
                <ApiErrorAlert error={ratings.error} onRetry={() => void ratings.fetchNextPage()} />
              )}
              {ratings.hasNextPage && !ratings.isFetchNextPageError && (
                <Button
                  variant="default"
                  w="fit-content"
                  loading={ratings.isFetchingNextPage}
                  onClick={() => void ratings.fetchNextPage()}
                >
                  {t("reviews.showMore")}
                </Button>
              )}
            </Stack>
          );
        }}
      </PageState>
    </Stack>
  );
}
