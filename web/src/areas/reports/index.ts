// The reports area: the organization overview, the template gallery and a template's page, a
// report job's page, a schedule's page and the list of jobs (the report builder follows).
export { ReportDashboardPage } from "./ReportDashboardPage";
export { ReportJobPage } from "./ReportJobPage";
export { ReportJobsPage } from "./ReportJobsPage";
export { ReportSchedulePage } from "./ReportSchedulePage";
export { ReportSchedulesPage } from "./ReportSchedulesPage";
export { ReportTemplatePage } from "./ReportTemplatePage";
export { ReportTemplatesPage } from "./ReportTemplatesPage";
