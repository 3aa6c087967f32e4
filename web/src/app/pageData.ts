import type { LoaderFunction, Params } from "react-router";
import { editorCourseQuery } from "../api/authoring";
import type { CourseListItem } from "../api/catalog";
import {
  catalogKeys,
  catalogListParams,
  categoriesQuery,
  courseCohortsQuery,
  courseQuery,
  coursesQuery,
  myEnrollmentRequestsQuery,
} from "../api/catalog";
import { myCertificatesQuery } from "../api/certificates";
import {
  cohortQuery,
  cohortRosterQuery,
  cohortWaitlistQuery,
  recordingsQuery,
  rosterParams,
} from "../api/cohorts";
import { kitQuery } from "../api/community";
import { myWaitlistQuery } from "../api/enrollment";
import { courseAnnouncementsQuery, courseRatingsQuery, myRatingQuery } from "../api/feedback";
import {
  analyticsQuery,
  enrollmentsQuery,
  healthQuery,
  integrationQuery,
  integrationsQuery,
  runQuery,
  runsQuery,
} from "../api/integrations";
import {
  myCourseProgressQuery,
  myEnrollmentsQuery,
  recentNotificationsQuery,
} from "../api/learner";
import { unreadCountQuery } from "../api/notifications";
import { lessonQuery } from "../api/player";
import { queryClient } from "../api/queryClient";
import { attemptQuery, quizSummaryQuery } from "../api/quiz";
import { meQuery } from "../api/session";

/** The organization an integration page works in: the URL's, else the first that allows it. */
function integrationOrg(
  me: { memberships: Array<{ organization: { id: string }; permissions: string[] }> },
  url: URL,
) {
  const allowed = me.memberships.filter((m) =>
    m.permissions.some((p) => p === "integrations:manage" || p.startsWith("integrations:manage:")),
  );
  return (allowed.find((m) => m.organization.id === url.searchParams.get("org")) ?? allowed[0])
    ?.organization.id;
}

/**
 * What each signed-in page reads, started by the route's loader as soon as the address is
 * known: in parallel with the page's code and, once GET /users/me has answered (the keys are
 * rooted at the person), all at once. The page's components then find their queries under the
 * same keys, in flight or fresh, so a page needs two rounds of requests: /users/me, then the
 * rest. The same loaders run on hover and focus of a link (app/preload.ts).
 *
 * A loader never waits for its queries and never fails: the components show their own
 * loading and error states, and RequireAuth handles a missing session.
 */
type PageData = (userId: string, at: { params: Params; url: URL }) => Promise<unknown>[];

const cachedMe = () => queryClient.getQueryData(meQuery().queryKey);

const prefetch = queryClient.prefetchQuery.bind(queryClient);

/** The shell's own data, read on every signed-in page (the bell). */
const shellData = (userId: string) => [prefetch(unreadCountQuery(userId))];

async function start(data: PageData | null, params: Params, url: URL): Promise<void> {
  let userId: string;
  try {
    userId = (await queryClient.ensureQueryData(meQuery())).user.id;
  } catch {
    return;
  }
  await Promise.all([...shellData(userId), ...(data?.(userId, { params, url }) ?? [])]);
}

function pageLoader(data: PageData | null): LoaderFunction {
  return ({ params, request }) => {
    void start(data, params, new URL(request.url));
    return null;
  };
}

/** Whether the catalog's cached lists already say the course has no cohorts. */
function knownWithoutCohorts(userId: string, courseId: string): boolean {
  const lists = queryClient.getQueriesData<{ items: CourseListItem[] }>({
    queryKey: catalogKeys.lists(userId),
  });
  for (const [, list] of lists) {
    const course = list?.items.find((c) => c.id === courseId);
    if (course) return course.delivery !== "cohort-based";
  }
  return false;
}

export const pageData = {
  /** Every signed-in page: the person and the shell (the layout route's loader). */
  signedIn: pageLoader(null),
  myLearning: pageLoader((userId) => [
    prefetch(myEnrollmentsQuery(userId)),
    prefetch(myCertificatesQuery(userId)),
    prefetch(recentNotificationsQuery(userId)),
  ]),
  catalog: pageLoader((userId, { url }) => [
    prefetch(coursesQuery(userId, catalogListParams(url.searchParams))),
    prefetch(categoriesQuery(userId)),
  ]),
  /**
   * The course page: the course, and everything its parts read about the person in it
   * (enrollment, progress with the quizzes, rating, request, waitlist place) and its
   * cohorts, asked together rather than each after the course has answered.
   */
  course: pageLoader((userId, { params, url }) => {
    const courseId = params.courseId ?? "";
    return [
      prefetch(courseQuery(userId, courseId, url.searchParams.get("view") === "learner")),
      prefetch(myEnrollmentsQuery(userId)),
      prefetch(myCourseProgressQuery(userId, courseId)),
      queryClient.prefetchInfiniteQuery(courseRatingsQuery(userId, courseId)),
      prefetch(myRatingQuery(userId, courseId)),
      prefetch(myEnrollmentRequestsQuery(userId)),
      prefetch(myWaitlistQuery(userId)),
      ...(knownWithoutCohorts(userId, courseId)
        ? []
        : [prefetch(courseCohortsQuery(userId, courseId))]),
    ];
  }),
  lesson: pageLoader((userId, { params }) => [
    prefetch(myEnrollmentsQuery(userId)),
    prefetch(lessonQuery(userId, params.lessonId ?? "")),
    prefetch(myCourseProgressQuery(userId, params.courseId ?? "")),
  ]),
  resume: pageLoader((userId, { params }) => [
    prefetch(myEnrollmentsQuery(userId)),
    prefetch(myCourseProgressQuery(userId, params.courseId ?? "")),
  ]),
  quiz: pageLoader((userId, { params }) => [
    prefetch(quizSummaryQuery(userId, params.quizId ?? "")),
  ]),
  attempt: pageLoader((userId, { params }) => [
    prefetch(attemptQuery(userId, params.attemptId ?? "")),
  ]),
  certificates: pageLoader((userId) => [prefetch(myCertificatesQuery(userId))]),
  /** The integrations list (first page, no filters) and the health of each. */
  integrations: pageLoader((userId, { url }) => {
    const me = cachedMe();
    const orgId = me && integrationOrg(me, url);
    if (!orgId || [...url.searchParams.keys()].some((k) => k !== "org")) return [];
    return [
      prefetch(
        integrationsQuery(userId, orgId, {
          page: 1,
          lmsType: null,
          connectionStatus: null,
          isActive: null,
        }),
      ),
      prefetch(analyticsQuery(userId, orgId)),
    ];
  }),
  /** External learning: the analytics and the first page of enrollments, unfiltered. */
  externalLearning: pageLoader((userId, { url }) => {
    const me = cachedMe();
    const orgId = me && integrationOrg(me, url);
    if (!orgId) return [];
    const unfiltered = ![...url.searchParams.keys()].some((k) => k !== "org");
    return [
      prefetch(analyticsQuery(userId, orgId)),
      ...(unfiltered
        ? [
            prefetch(
              enrollmentsQuery(userId, orgId, {
                page: 1,
                integrationId: null,
                status: null,
                dateFrom: null,
                dateTo: null,
                search: "",
              }),
            ),
          ]
        : []),
    ];
  }),
  /** An integration, its health and its first page of runs. */
  integration: pageLoader((userId, { params }) => {
    const integrationId = params.integrationId ?? "";
    return [
      prefetch(integrationQuery(userId, integrationId)),
      prefetch(healthQuery(userId, integrationId)),
      prefetch(runsQuery(userId, integrationId, 1)),
    ];
  }),
  integrationRun: pageLoader((userId, { params }) => [
    prefetch(runQuery(userId, params.runId ?? "")),
  ]),
  /** A course's cohorts: the course (title, delivery, whether the person edits it) and the list. */
  courseCohorts: pageLoader((userId, { params }) => [
    prefetch(editorCourseQuery(userId, params.courseId ?? "")),
    prefetch(courseCohortsQuery(userId, params.courseId ?? "")),
  ]),
  /** A course's community: the course and the open tab's list. */
  courseCommunity: pageLoader((userId, { params, url }) => {
    const courseId = params.courseId ?? "";
    const tab = url.searchParams.get("tab");
    return [
      prefetch(editorCourseQuery(userId, courseId)),
      tab === "kit"
        ? prefetch(kitQuery(userId, courseId))
        : tab === "reviews"
          ? queryClient.prefetchInfiniteQuery(courseRatingsQuery(userId, courseId))
          : prefetch(courseAnnouncementsQuery(userId, courseId)),
    ];
  }),
  /**
   * A cohort: the cohort and the open tab's list at once; its course and the roster need the
   * cohort's course id, so they follow its answer (a third round).
   */
  cohort: pageLoader((userId, { params, url }) => {
    const cohortId = params.cohortId ?? "";
    const tab = url.searchParams.get("tab");
    return [
      queryClient
        .fetchQuery(cohortQuery(userId, cohortId))
        .then((cohort) =>
          Promise.all([
            prefetch(editorCourseQuery(userId, cohort.courseId)),
            ...(tab === null || tab === "roster"
              ? [
                  prefetch(
                    cohortRosterQuery(
                      userId,
                      cohort.courseId,
                      cohortId,
                      rosterParams(url.searchParams),
                    ),
                  ),
                ]
              : []),
          ]),
        )
        .catch(() => undefined),
      ...(tab === "waitlist" ? [prefetch(cohortWaitlistQuery(userId, cohortId))] : []),
      ...(tab === "recordings" ? [prefetch(recordingsQuery(userId, cohortId))] : []),
    ];
  }),
};
