// The cohorts area: the screens that run a course's cohorts (their lifecycle, roster, waitlist
// and recordings) and talk to its learners (announcements, the enablement kit, answers to
// reviews). The course editor renders TeachingLinks from its own file.
export { CohortPage } from "./CohortPage";
export { CourseCohortsPage } from "./CourseCohortsPage";
export { CourseCommunityPage } from "./CourseCommunityPage";
