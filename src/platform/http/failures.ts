/**
 * Every refusal and failure, whoever raises it — a service, the validator, Fastify's body
 * parser or router, Node's HTTP parser — leaves in the one envelope
 * `{ success: false, error: { code, message, field?, details? }, requestId }` with a stable code
 * and the `X-Request-Id` header. Internals (stack traces, SQL, file paths, library messages)
 * stay in the log unless `LYCEUM_DEBUG_ERRORS=true` asks for the stack in the response.
 */
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyReply, FastifyRequest } from "fastify";
import { isResponseSerializationError } from "fastify-type-provider-zod";
import { NoResultError } from "kysely";
import { newId } from "../ids.js";
import { fromDatabaseError } from "./constraints.js";
import type { ErrorBody } from "./envelope.js";
import { AppError } from "./errors.js";
import { checkDocumented } from "./openapi.js";

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message?: string;
}

/** Fastify's and its plugins' request errors, with the message we answer instead of theirs. */
const FRAMEWORK_ERRORS: Record<string, [AppError["code"], string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ["PAYLOAD_TOO_LARGE", "The request body is too large"],
  FST_REQ_FILE_TOO_LARGE: ["PAYLOAD_TOO_LARGE", "The uploaded file is too large"],
  FST_FILES_LIMIT: ["PAYLOAD_TOO_LARGE", "Send one file"],
  FST_PARTS_LIMIT: ["PAYLOAD_TOO_LARGE", "The upload has too many parts"],
  FST_FIELDS_LIMIT: ["PAYLOAD_TOO_LARGE", "The upload has too many fields"],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ["UNSUPPORTED_MEDIA_TYPE", "Unsupported content type"],
  FST_INVALID_MULTIPART_CONTENT_TYPE: [
    "UNSUPPORTED_MEDIA_TYPE",
    "Send the upload as multipart/form-data",
  ],
  FST_ERR_CTP_EMPTY_JSON_BODY: ["BAD_REQUEST", "The JSON body is empty"],
  FST_ERR_CTP_INVALID_JSON_BODY: ["INVALID_JSON", "The body is not valid JSON"],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ["BAD_REQUEST", "The content length does not match the body"],
  FST_ERR_CTP_INVALID_TYPE: ["BAD_REQUEST", "The content type header is malformed"],
  FST_ERR_BAD_URL: ["BAD_REQUEST", "The URL is not valid"],
  FST_ERR_MAX_PARAM_LENGTH: ["URI_TOO_LONG", "A path segment of the URL is too long"],
  FST_PROTO_VIOLATION: ["INVALID_JSON", "The body is not valid JSON"],
  FST_CONSTRUCTOR_VIOLATION: ["INVALID_JSON", "The body is not valid JSON"],
  FST_ERR_ASYNC_CONSTRAINT: ["ROUTE_NOT_FOUND", "No such route"],
};

/** The generic message for a status, when an error's own message must not be shown. */
const GENERIC: Record<number, [AppError["code"], string]> = {
  400: ["BAD_REQUEST", "The request is malformed"],
  404: ["ROUTE_NOT_FOUND", "No such route"],
  405: ["METHOD_NOT_ALLOWED", "Method not allowed"],
  408: ["REQUEST_TIMEOUT", "The request took too long to arrive"],
  413: ["PAYLOAD_TOO_LARGE", "The request body is too large"],
  414: ["URI_TOO_LONG", "The URL is too long"],
  415: ["UNSUPPORTED_MEDIA_TYPE", "Unsupported content type"],
  429: ["RATE_LIMITED", "Too many requests"],
  431: ["HEADERS_TOO_LARGE", "The request headers (or the URL) are too large"],
  503: ["SERVICE_UNAVAILABLE", "The service is unavailable; try again shortly"],
};

/**
 * Maps any error to an AppError with a stable code. Only AppErrors carry their own message to
 * the client; everything else gets a fixed message chosen here, so no library or database text
 * (which can name tables, columns or files) reaches a response.
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const database = fromDatabaseError(error);
  if (database) return database;
  // A row a use case requires (`executeTakeFirstOrThrow`) is not there: the object named in
  // the request does not exist.
  if (error instanceof NoResultError) return new AppError("NOT_FOUND", "Not found");
  const e = (error ?? {}) as FastifyLikeError;
  const framework = e.code ? FRAMEWORK_ERRORS[e.code] : undefined;
  if (framework) return new AppError(framework[0], framework[1]);
  if (typeof error === "object" && error !== null && isResponseSerializationError(error as never)) {
    return new AppError("INTERNAL_ERROR", "The server produced an invalid response");
  }
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    const [code, message] = GENERIC[e.statusCode] ?? GENERIC[400]!;
    return new AppError(code, message);
  }
  if (e.statusCode === 503) return new AppError(...(GENERIC[503] as [AppError["code"], string]));
  return new AppError("INTERNAL_ERROR", "Something went wrong on our side");
}

/** Builds the error body; `stack` only when debugging was asked for explicitly. */
export function errorBody(appError: AppError, requestId: string, stack?: string): ErrorBody {
  return {
    success: false,
    error: {
      code: appError.code,
      message: appError.message,
      ...(appError.details ? { details: appError.details } : {}),
      ...(appError.field ? { field: appError.field } : {}),
      ...(stack ? { stack } : {}),
    },
    requestId,
  };
}

export interface ErrorOptions {
  /** LYCEUM_DEBUG_ERRORS: put the stack of server faults in the response. */
  debugErrors: boolean;
  /** In tests: record answers the operation's OpenAPI document does not list. */
  checkDocumented: boolean;
}

/** Sends any error as the envelope, logging server faults with the request id. */
export function sendError(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  { debugErrors, checkDocumented: check }: ErrorOptions,
) {
  const appError = toAppError(error);
  if (check) checkDocumented(request, appError.status);
  if (appError.status >= 500) request.log.error({ err: error }, "request failed");
  else request.log.info({ code: appError.code, status: appError.status }, appError.message);
  const stack =
    debugErrors && appError.status >= 500 && error instanceof Error ? error.stack : undefined;
  if (appError.headers) reply.headers(appError.headers);
  if (appError.code === "RATE_LIMITED" && !reply.getHeader("retry-after")) {
    const ms = Number(appError.details?.retryAfterMs ?? 60_000);
    reply.header("retry-after", Math.ceil(ms / 1000));
  }
  reply.header("x-request-id", request.id);
  // The body is already in its final shape; skip the route's response schema.
  reply.code(appError.status).type("application/json; charset=utf-8");
  return reply
    .serializer((payload: unknown) => JSON.stringify(payload))
    .send(errorBody(appError, request.id, stack));
}

/**
 * Answers errors Node's HTTP parser raises before Fastify sees a request: headers (or the
 * request line, with its query string) over the size limit → 431, a request that does not
 * arrive in time → 408, anything unparseable → 400. There is no request object yet, so the
 * envelope is written to the socket directly, with a fresh request id.
 */
export function clientErrorHandler(log: {
  info: (obj: object, msg: string) => void;
}): (error: NodeJS.ErrnoException, socket: Socket) => void {
  return (error, socket) => {
    if (error.code === "ECONNRESET" || socket.destroyed) return;
    const [status, code, message] =
      error.code === "HPE_HEADER_OVERFLOW"
        ? [431, "HEADERS_TOO_LARGE", "The request headers (or the URL) are too large"]
        : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? [408, "REQUEST_TIMEOUT", "The request took too long to arrive"]
          : error.code === "HPE_URI_TOO_LONG"
            ? [414, "URI_TOO_LONG", "The URL is too long"]
            : [400, "BAD_REQUEST", "The request is malformed"];
    const requestId = newId();
    log.info({ code, status, requestId, parserError: error.code }, "client error");
    const body = JSON.stringify(
      errorBody(new AppError(code as AppError["code"], message), requestId),
    );
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
          "Content-Type: application/json; charset=utf-8\r\n" +
          `Content-Length: ${Buffer.byteLength(body)}\r\n` +
          `X-Request-Id: ${requestId}\r\n` +
          "Connection: close\r\n\r\n" +
          body,
      );
    }
    socket.destroy(error);
  };
}
