import type { Generated, Selectable } from "kysely";
import type { CreatedAt, Timestamp } from "../../../db/columns.js";

/** Row types of migrations/20261206000400_integration_exports.sql. */

export const EXPORT_ENTITIES = ["person", "enrollment", "completion"] as const;
export type ExportEntity = (typeof EXPORT_ENTITIES)[number];

export interface IntegrationCourseLinksTable {
  id: Generated<string>;
  organization_id: string;
  integration_id: string;
  course_id: string;
  external_course_id: string;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface IntegrationExportsTable {
  id: Generated<string>;
  organization_id: string;
  integration_id: string;
  entity: ExportEntity;
  local_id: string;
  external_id: string | null;
  fingerprint: string;
  pushed_at: Timestamp;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface ExportTables {
  integration_course_links: IntegrationCourseLinksTable;
  integration_exports: IntegrationExportsTable;
}

export type CourseLinkRow = Selectable<IntegrationCourseLinksTable>;
export type ExportRow = Selectable<IntegrationExportsTable>;
