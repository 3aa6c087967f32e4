// The learner area: the signed-in person's own learning.
export { MyLearningPage } from "./MyLearningPage";
