import {
  Blockquote,
  Button,
  Group,
  Paper,
  Rating,
  Skeleton,
  Stack,
  Text,
  Textarea,
  Title,
} from "@mantine/core";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { EditorCourse } from "../../api/authoring";
import { useAnswerRating } from "../../api/community";
import { type CourseRating, useCourseRatings } from "../../api/feedback";
import { useSignedInMe } from "../../app/RequireAuth";
import { useFormat } from "../../i18n/format";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { EmptyState } from "../../ui/EmptyState";
import { PageState } from "../../ui/PageState";

/** Limit of PUT /ratings/{id}/response. */
const ANSWER_MAX = 5000;

/**
 * The learners' reviews of the course, newest first, 20 at a time (the course page's query),
 * with the average; each can be answered publicly in the team's name, the answer changed or
 * removed (after a confirmation). The answer shows under the review on the course page.
 */
export function ReviewsPanel({ course }: { course: EditorCourse["course"] }) {
  const { t } = useTranslation("cohorts");
  const format = useFormat();
  const me = useSignedInMe();
  const ratings = useCourseRatings(me.user.id, course.id);
  const [done, setDone] = useState("");
  const summary = ratings.data?.pages[0]?.meta?.summary;
  const reviews = ratings.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack gap="sm" component="section" aria-labelledby="reviews-heading">
      <Title order={2} id="reviews-heading">
        {t("reviews.title")}
      </Title>
      {summary && summary.count > 0 && (
        <Text>
          {t("reviews.summary", {
            average: format.number(summary.average),
            count: summary.count,
          })}
        </Text>
      )}
      <Text size="sm" role="status" aria-live="polite">
        {done}
      </Text>
      <PageState
        query={ratings}
        pending={<Skeleton height={200} radius="md" />}
        isEmpty={() => reviews.length === 0}
        empty={
          <EmptyState
            headingLevel={3}
            title={t("reviews.emptyTitle")}
            reason={t("reviews.emptyReason")}
          />
        }
      >
        {() => (
          <Stack gap="sm">
            <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: "none" }}>
              {reviews.map((review) => (
                <Review key={review.id} courseId={course.id} review={review} onDone={setDone} />
              ))}
            </Stack>
            {ratings.hasNextPage && (
              <Button
                variant="default"
                w="fit-content"
                loading={ratings.isFetchingNextPage}
                onClick={() => void ratings.fetchNextPage()}
              >
                {t("reviews.more")}
              </Button>
            )}
          </Stack>
        )}
      </PageState>
    </Stack>
  );
}

function Review({
  courseId,
  review,
  onDone,
}: {
  courseId: string;
  review: CourseRating;
  onDone: (message: string) => void;
}) {
  const { t } = useTranslation("cohorts");
  const format = useFormat();
  const me = useSignedInMe();
  const answer = useAnswerRating(me.user.id, courseId);
  const [writing, setWriting] = useState(false);
  const [text, setText] = useState("");
  const [removing, setRemoving] = useState(false);
  const field = useRef<HTMLTextAreaElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const wrote = useRef(false);
  // Opening the form focuses its field; closing it (saved or cancelled) focuses the button
  // that opened it, so the keyboard stays in the review.
  useEffect(() => {
    if (writing) field.current?.focus();
    else if (wrote.current) toggle.current?.focus();
    wrote.current = writing;
  }, [writing]);
  const reviewer = review.reviewer ?? t("reviews.anonymous");
  const headingId = `review-${review.id}`;
  return (
    <Paper component="li" withBorder p="md" radius="md" aria-labelledby={headingId}>
      <Stack gap={6}>
        <Group gap="xs" wrap="wrap">
          <Rating value={review.rating} readOnly size="sm" aria-hidden />
          <Title order={3} size="h5" id={headingId}>
            {t("reviews.heading", { count: review.rating, name: reviewer })}
          </Title>
        </Group>
        <Text size="sm" c="dimmed">
          {format.date(review.createdAt)}
        </Text>
        {review.title && <Text fw={600}>{review.title}</Text>}
        {review.content && <Text style={{ whiteSpace: "pre-line" }}>{review.content}</Text>}
        {writing ? (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              answer.mutate(
                { ratingId: review.id, response: text.trim() },
                {
                  onSuccess: () => {
                    setWriting(false);
                    onDone(t("reviews.answered", { name: reviewer }));
                  },
                },
              );
            }}
          >
            <Stack gap="xs">
              <Textarea
                label={t("reviews.answerLabel", { name: reviewer })}
                description={t("reviews.answerHint")}
                autosize
                minRows={3}
                maxLength={ANSWER_MAX}
                value={text}
                onChange={(event) => setText(event.currentTarget.value)}
                readOnly={answer.isPending}
                ref={field}
              />
              {answer.error && <ApiErrorAlert error={answer.error} />}
              <Group gap="sm">
                <Button type="submit" loading={answer.isPending} disabled={!text.trim()}>
                  {t("reviews.publish")}
                </Button>
                <Button
                  variant="default"
                  disabled={answer.isPending}
                  onClick={() => {
                    answer.reset();
                    setWriting(false);
                  }}
                >
                  {t("form.cancel")}
                </Button>
              </Group>
            </Stack>
          </form>
        ) : (
          <>
            {review.instructorResponse && (
              <Blockquote p="sm" color="indigo" cite={answeredOn(t, format, review)}>
                <Text size="sm" style={{ whiteSpace: "pre-line" }}>
                  {review.instructorResponse}
                </Text>
              </Blockquote>
            )}
            {answer.error && !removing && <ApiErrorAlert error={answer.error} />}
            <Group gap="xs" role="group" aria-label={t("reviews.actionsFor", { name: reviewer })}>
              <Button
                ref={toggle}
                size="xs"
                variant="default"
                onClick={() => {
                  answer.reset();
                  setText(review.instructorResponse ?? "");
                  setWriting(true);
                }}
              >
                {review.instructorResponse ? t("reviews.editAnswer") : t("reviews.answer")}
              </Button>
              {review.instructorResponse && (
                <Button
                  size="xs"
                  variant="outline"
                  color="red.9"
                  onClick={() => {
                    answer.reset();
                    setRemoving(true);
                  }}
                >
                  {t("reviews.removeAnswer")}
                </Button>
              )}
            </Group>
          </>
        )}
      </Stack>
      {removing && (
        <ConfirmDialog
          title={t("reviews.removeTitle", { name: reviewer })}
          text={t("reviews.removeText")}
          confirm={t("reviews.removeAnswer")}
          busy={answer.isPending}
          onClose={() => setRemoving(false)}
          onConfirm={() =>
            answer.mutate(
              { ratingId: review.id, response: null },
              {
                onSuccess: () => onDone(t("reviews.removed", { name: reviewer })),
                onSettled: () => setRemoving(false),
              },
            )
          }
        />
      )}
    </Paper>
  );
}

function answeredOn(
  t: ReturnType<typeof useTranslation>["t"],
  format: ReturnType<typeof useFormat>,
  review: CourseRating,
): string {
  return review.instructorResponseAt
    ? t("reviews.answeredOn", { date: format.date(review.instructorResponseAt) })
    : t("reviews.yourAnswer");
}
