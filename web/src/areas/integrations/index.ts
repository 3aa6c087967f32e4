// Integrations with external learning systems: the list, the form, an integration with its
// runs, a run's report, and the external learning they brought in.

export { ExternalLearningPage } from "./ExternalLearningPage";
export { FileImportPage } from "./FileImportPage";
export { EditIntegrationPage, NewIntegrationPage } from "./IntegrationFormPage";
export { IntegrationPage } from "./IntegrationPage";
export { IntegrationsPage } from "./IntegrationsPage";
export { RunPage } from "./RunPage";
