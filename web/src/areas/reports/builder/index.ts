// The report builder, a chunk of its own: the report pages load without its editors.
export { ReportBuilderPage } from "./ReportBuilderPage";
