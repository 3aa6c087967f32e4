// Learners: where the people a manager or administrator looks after stand, and one's record.

export { LearnerPage } from "./LearnerPage";
export { LearnersPage } from "./LearnersPage";
