/**
 * SCIM's own error answer (RFC 7644 §3.12): every refusal on /scim/v2 leaves as
 * `{ schemas: [Error], status: "400", scimType?, detail }` instead of the API's envelope.
 */
export const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

export type ScimType =
  | "invalidFilter"
  | "tooMany"
  | "uniqueness"
  | "mutability"
  | "invalidSyntax"
  | "invalidPath"
  | "noTarget"
  | "invalidValue"
  | "invalidVers"
  | "sensitive";

export class ScimError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly scimType?: ScimType,
  ) {
    super(message);
  }
}

export const badFilter = (message: string) => new ScimError(400, message, "invalidFilter");
export const badValue = (message: string) => new ScimError(400, message, "invalidValue");
export const badPath = (message: string) => new ScimError(400, message, "invalidPath");
export const badSyntax = (message: string) => new ScimError(400, message, "invalidSyntax");
export const notFound = (message: string) => new ScimError(404, message);
