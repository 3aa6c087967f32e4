import type { App } from "../../platform/http/server.js";

export async function auditRoutes(_app: App): Promise<void> {}
