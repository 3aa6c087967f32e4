// The feedback area's pages: a course's announcements for learners. The course page renders
// CourseRatings and CourseAnnouncementsLink from their own files.
export { AnnouncementsPage } from "./AnnouncementsPage";
