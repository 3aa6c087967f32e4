import type { Generated, Selectable } from "kysely";
import type { CreatedAt, Json, TextArray, Timestamp } from "../../db/schema.js";

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
