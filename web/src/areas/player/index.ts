// The player area: an enrolled learner's lessons, with the course outline and their progress.
export { LessonPlayerPage } from "./LessonPlayerPage";
export { ResumePage } from "./ResumePage";
