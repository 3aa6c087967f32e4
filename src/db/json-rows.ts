/**
 * Rows a statement answers as JSON (`row_to_json(q)`, `json_agg(q)`), so that one statement can
 * bring back rows of several tables without their column names clashing. JSON keeps text,
 * numbers (numeric and bigint come back as numbers, as the drivers parse them), booleans,
 * arrays and nested JSON as the drivers would; only timestamps turn into strings, which
 * `fromJson` makes dates again. Prefer `json` to `jsonb` here: building `json` only writes
 * each column's text, while `jsonb` parses and sorts it again (several times the cost for a
 * few dozen rows).
 */

/** The columns of a row that hold dates (`Date` or `Date | null`). */
export type DateColumns<Row> = {
  [K in keyof Row]-?: [NonNullable<Row[K]>] extends [Date] ? K : never;
}[keyof Row] &
  string;

/**
 * Which columns of a row type are dates, checked complete by the compiler:
 * `const QUIZ_DATES = { available_from: true, … } satisfies DateColumnSet<QuizRow>`.
 */
export type DateColumnSet<Row> = Record<DateColumns<Row>, true>;

/** One row answered as JSON, its date columns as dates. */
export function fromJson<Row>(value: unknown, dates: DateColumnSet<Row>): Row {
  const row = value as Record<string, unknown>;
  for (const column of Object.keys(dates)) {
    const raw = row[column];
    if (typeof raw === "string") row[column] = new Date(raw);
  }
  return row as Row;
}

/** Rows answered as a JSON array (null: none), their date columns as dates. */
export function manyFromJson<Row>(value: unknown, dates: DateColumnSet<Row>): Row[] {
  return ((value as unknown[] | null) ?? []).map((row) => fromJson<Row>(row, dates));
}
