import type { App } from "../../platform/http/server.js";

export async function accessRoutes(_app: App): Promise<void> {}
