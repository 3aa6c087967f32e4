import type { EventBus } from "../../platform/events.js";

export function subscribeOrganizationEvents(_events: EventBus): void {}
