import type { App } from "../../platform/http/server.js";

export async function organizationRoutes(_app: App): Promise<void> {}
