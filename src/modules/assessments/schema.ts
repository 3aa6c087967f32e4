import type { Generated, Selectable } from "kysely";
import type { CreatedAt, Json, JsonDefault, TextArray, Timestamp } from "../../db/columns.js";

/** Row types of migrations/20261123001100_question_bank.sql. */

export interface QuestionBankTable {
  id: Generated<string>;
  organization_id: string | null;
  created_by: string | null;
  title: string;
  category: string | null;
  tags: TextArray;
  difficulty: "easy" | "medium" | "hard" | null;
  question_type: string;
  definition: Json;
  usage_count: Generated<number>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  deleted_at: Timestamp | null;
}

/** Row types of migrations/20261123001200_quizzes.sql. */

export type QuizKind =
  | "graded"
  | "practice"
  | "survey"
  | "pre-course"
  | "post-course"
  | "knowledge-check"
  | "skill-assessment"
  | "certification"
  | "self-assessment";
export type AnswerPolicy =
  | "never"
  | "after-submit"
  | "after-passing"
  | "after-all-attempts"
  | "after-deadline";

export interface QuizzesTable {
  id: Generated<string>;
  course_id: string;
  module_id: string;
  lesson_id: string | null;
  title: string;
  description: string | null;
  instructions: string | null;
  kind: Generated<QuizKind>;
  is_published: Generated<boolean>;
  available_from: Timestamp | null;
  available_until: Timestamp | null;
  time_limit_minutes: number | null;
  attempt_limit: number | null;
  passing_score: Generated<number>;
  weight_percent: number | null;
  randomize_questions: Generated<boolean>;
  randomize_answers: Generated<boolean>;
  questions_per_attempt: number | null;
  show_correct_answers: Generated<AnswerPolicy>;
  allow_back_navigation: Generated<boolean>;
  required_for_completion: Generated<boolean>;
  total_points: Generated<number>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  deleted_at: Timestamp | null;
}

export interface QuizQuestionsTable {
  id: Generated<string>;
  quiz_id: string;
  bank_question_id: string | null;
  position: number;
  question_type: string;
  definition: Json;
  points: number;
  required: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface AssessmentTables {
  question_bank: QuestionBankTable;
  quizzes: QuizzesTable;
  quiz_questions: QuizQuestionsTable;
}

export type QuizRow = Selectable<QuizzesTable>;
export type QuizQuestionRow = Selectable<QuizQuestionsTable>;

export type BankQuestionRow = Selectable<QuestionBankTable>;

/** Row types of migrations/20261123001300_quiz_attempts.sql. */

export type AttemptStatus = "in-progress" | "submitted" | "graded";
export type AttemptEndReason = "submitted" | "time-expired" | "abandoned";
export type AnswerOutcome =
  | "correct"
  | "partial"
  | "incorrect"
  | "unanswered"
  | "needs-grading"
  | "ungraded";

/** Per question: the order its options (or matching right-hand items) were shown in. */
export type AttemptLayout = Record<string, { options?: string[]; right?: string[] }>;

export interface QuizAttemptsTable {
  id: Generated<string>;
  quiz_id: string;
  enrollment_id: string;
  user_id: string;
  course_id: string;
  attempt_number: number;
  status: Generated<AttemptStatus>;
  end_reason: AttemptEndReason | null;
  started_at: Timestamp;
  deadline_at: Timestamp | null;
  last_saved_at: Timestamp | null;
  submitted_at: Timestamp | null;
  graded_at: Timestamp | null;
  time_spent_seconds: Generated<number>;
  question_ids: TextArray;
  layout: JsonDefault<AttemptLayout>;
  current_position: Generated<number>;
  points_earned: number | null;
  points_possible: number | null;
  score: number | null;
  passed: boolean | null;
  pending_manual: Generated<number>;
  flagged_for_review: Generated<boolean>;
  feedback: string | null;
  review_notes: string | null;
  graded_by: string | null;
  ip_address: string | null;
  user_agent: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface QuizAnswersTable {
  id: Generated<string>;
  attempt_id: string;
  quiz_question_id: string;
  response: Json | null;
  saved_at: Timestamp | null;
  marked_for_review: Generated<boolean>;
  outcome: AnswerOutcome | null;
  points: number | null;
  max_points: number | null;
  feedback: string | null;
  rubric_scores: Json<number[]> | null;
  graded_by: string | null;
  graded_at: Timestamp | null;
  ai_grader: string | null;
  ai_points: number | null;
  ai_confidence: number | null;
  ai_decision: "graded" | "graded-flagged" | "manual" | null;
  ai_feedback: string | null;
  ai_criteria: Json | null;
  manual_override: Generated<boolean>;
  flagged_for_review: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface QuizResultsTable {
  enrollment_id: string;
  quiz_id: string;
  user_id: string;
  attempts_used: Generated<number>;
  best_score: number | null;
  best_attempt_id: string | null;
  last_score: number | null;
  last_attempt_id: string | null;
  passed: Generated<boolean>;
  passed_at: Timestamp | null;
  satisfied_at: Timestamp | null;
  updated_at: CreatedAt;
}

export interface SkillGain {
  skillId: string;
  preScore: number;
  postScore: number;
  improvement: number;
  normalizedGain: number | null;
}

export interface LearningGainsTable {
  id: Generated<string>;
  enrollment_id: string;
  user_id: string;
  course_id: string;
  cohort_id: string | null;
  organization_id: string | null;
  pre_quiz_id: string;
  pre_attempt_id: string;
  pre_score: number;
  post_quiz_id: string;
  post_attempt_id: string;
  post_score: number;
  score_improvement: number;
  percentage_gain: number | null;
  normalized_gain: number | null;
  band: "high" | "medium" | "low" | null;
  skill_gains: JsonDefault<SkillGain[]>;
  calculated_at: Timestamp;
}

export interface AttemptTables {
  quiz_attempts: QuizAttemptsTable;
  quiz_answers: QuizAnswersTable;
  quiz_results: QuizResultsTable;
  learning_gains: LearningGainsTable;
}

export type QuizAttemptRow = Selectable<QuizAttemptsTable>;
export type QuizAnswerRow = Selectable<QuizAnswersTable>;
export type QuizResultRow = Selectable<QuizResultsTable>;
export type LearningGainRow = Selectable<LearningGainsTable>;
