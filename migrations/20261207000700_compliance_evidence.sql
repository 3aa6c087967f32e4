-- The auditor's evidence pack (issue 16 §1): a report job whose file is a ZIP (a PDF summary,
-- CSV detail and a manifest), made by the compliance module's producer. Report jobs gain the
-- zip output format; templates and schedules keep theirs.
alter table report_jobs drop constraint report_jobs_output_format_check;
alter table report_jobs add constraint report_jobs_output_format_check
  check (output_format in ('csv', 'json', 'excel', 'pdf', 'zip'));
