// The authoring area: the courses a person may edit, a course's editor (outline, settings,
// publication) and the lesson editor. Tiptap loads in its own chunk from editor/.
export { CourseEditorPage } from "./CourseEditorPage";
export { GradingQueuePage } from "./GradingQueuePage";
export { LessonEditorPage } from "./LessonEditorPage";
export { QuestionBankPage } from "./quiz/QuestionBankPage";
export { QuizBuilderPage } from "./quiz/QuizBuilderPage";
export { TeachingCoursesPage } from "./TeachingCoursesPage";
