import type { ColumnType } from "kysely";

/**
 * Column helper types shared by every table definition. They live in their own file so that
 * `db/schema.ts` (which imports each module's `schema.ts` to build the Database type) and the
 * module schemas (which need these helpers) do not import each other.
 */

/** A timestamptz column: read as Date, written as Date or ISO string. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamptz column with a database default. */
export type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** A jsonb column: read parsed, written as a JSON string (both drivers treat strings alike). */
export type Json<T = unknown> = ColumnType<T, string, string>;
/** A jsonb column with a database default. */
export type JsonDefault<T = unknown> = ColumnType<T, string | undefined, string>;
/** A text[] column. */
export type TextArray = ColumnType<string[], string[] | undefined, string[]>;
