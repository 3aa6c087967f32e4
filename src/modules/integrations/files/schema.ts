import type { Generated, Selectable } from "kysely";
import type { CreatedAt, Json, JsonDefault, Timestamp } from "../../../db/columns.js";

/** Row types of migrations/20261206000200_integration_file_imports.sql (and 20261206000500). */

export const FILE_FORMATS = ["csv", "xlsx"] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

export const FILE_ORIGINS = ["upload", "sftp"] as const;
export type FileOrigin = (typeof FILE_ORIGINS)[number];

export const FILE_IMPORT_STATUSES = [
  "awaiting-mapping",
  "queued",
  "processing",
  "done",
  "failed",
] as const;
export type FileImportStatus = (typeof FILE_IMPORT_STATUSES)[number];

/** `{field: column}`: which of the file's columns holds each of Lyceum's fields. */
export type ColumnMapping = Record<string, string>;

export interface IntegrationFileImportsTable {
  id: Generated<string>;
  organization_id: string;
  integration_id: string;
  file_name: string;
  format: FileFormat;
  size_bytes: number;
  storage_key: string;
  origin: Generated<FileOrigin>;
  status: Generated<FileImportStatus>;
  columns: JsonDefault<string[]>;
  row_count: Generated<number>;
  /** The first data rows, their cells as text, shown beside the mapping step. */
  samples: JsonDefault<(string | null)[][]>;
  column_mapping: Json<ColumnMapping> | null;
  run_id: string | null;
  result_key: string | null;
  /** For files found on SFTP: their name in the server's import directory (20261206000500). */
  remote_name: string | null;
  /** When the result file was written back and the file moved to the processed directory. */
  delivered_at: Timestamp | null;
  /** Why the last attempt to write the result back failed. */
  delivery_error: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export type FileImportRow = Selectable<IntegrationFileImportsTable>;

export interface FileImportTables {
  integration_file_imports: IntegrationFileImportsTable;
}
