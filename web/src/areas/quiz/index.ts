// The quiz area: a quiz's page (rules, attempts, start or resume) and an attempt's page
// (taking it while open, its result once closed). CourseQuizzes is for course pages to render.
export { AttemptPage } from "./AttemptPage";
export { CourseQuizzes } from "./CourseQuizzes";
export { QuizPage } from "./QuizPage";
