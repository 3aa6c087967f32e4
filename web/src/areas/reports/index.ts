// The reports area: the template gallery, a report job's page, a schedule's page and the
// list of jobs (the report builder follows).
export { ReportJobPage } from "./ReportJobPage";
export { ReportJobsPage } from "./ReportJobsPage";
export { ReportSchedulePage } from "./ReportSchedulePage";
export { ReportSchedulesPage } from "./ReportSchedulesPage";
export { ReportTemplatesPage } from "./ReportTemplatesPage";
