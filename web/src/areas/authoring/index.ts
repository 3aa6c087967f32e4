// The authoring area: the courses a person may edit, a course's editor (outline, settings,
// publication), the lesson editor, the grading queue, the gradebook, an attempt to regrade and
// the course's results. Tiptap loads in
// its own chunk from editor/, ECharts in its own from ui/charts/.
export { AttemptGradingPage } from "./AttemptGradingPage";
export { CourseEditorPage } from "./CourseEditorPage";
export { CourseResultsPage } from "./CourseResultsPage";
export { GradebookPage } from "./GradebookPage";
export { GradingQueuePage } from "./GradingQueuePage";
export { LessonEditorPage } from "./LessonEditorPage";
export { QuestionBankPage } from "./quiz/QuestionBankPage";
export { QuizBuilderPage } from "./quiz/QuizBuilderPage";
export { TeachingCoursesPage } from "./TeachingCoursesPage";
