import { z } from "zod";
import { isoDateTime } from "../../../platform/http/envelope.js";

/** How an integration shows its webhook signing secret: whether it is set, never the secret. */
export const webhookSecretStatusSchema = z
  .object({
    set: z.boolean().describe("Whether a signing secret is set (the secret itself is never shown)"),
    rotatedAt: isoDateTime().nullable().describe("When the current secret was generated"),
    previousValidUntil: isoDateTime()
      .nullable()
      .describe("Until when the secret before the last rotation is still accepted"),
  })
  .meta({ id: "LmsWebhookSecretStatus" });
