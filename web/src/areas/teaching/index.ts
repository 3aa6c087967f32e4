// The teaching area: the instructor's screens, starting with a course's enrollment requests.
export { CourseRequestsPage } from "./CourseRequestsPage";
