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

export interface AssessmentTables {
  question_bank: QuestionBankTable;
}

export type BankQuestionRow = Selectable<QuestionBankTable>;
