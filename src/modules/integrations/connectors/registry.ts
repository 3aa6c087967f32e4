import { z } from "zod";
import { CanvasConnector, canvasOptions } from "./canvas.js";
import { MoodleConnector, moodleOptions } from "./moodle.js";
import { TalentLmsConnector, talentLmsOptions } from "./talentlms.js";
import { type Connector, ConnectorError, type ConnectorSpec, type LmsType } from "./types.js";

type Builder = (spec: ConnectorSpec) => Connector;

/**
 * The connectors Lyceum ships, by LMS type. Types without an entry (file imports, inbound
 * webhooks) are not pulled from: their data arrives, so asking for their connector says so.
 */
const BUILDERS: Partial<Record<LmsType, Builder>> = {
  moodle: (spec) => new MoodleConnector(spec),
  canvas: (spec) => new CanvasConnector(spec),
  talentlms: (spec) => new TalentLmsConnector(spec),
};

/** The default ConnectorFactory: the real client of the integration's system. */
export function createConnector(spec: ConnectorSpec): Connector {
  const build = BUILDERS[spec.type];
  if (!build)
    throw new ConnectorError(
      "unsupported",
      `Lyceum has no ${spec.type} connector to call; its data is sent to Lyceum instead.`,
    );
  return build(spec);
}

/**
 * Where an integration of type `file` picks its files up (issue 15 §2): an SFTP server's
 * directory, the server known by its pinned host key; the user name and password are the
 * integration's `basic` credentials. Directories are absolute paths on the server.
 */
const sftpDirectory = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .regex(/^\//, "Give the directory as an absolute path (starting with /)")
  .refine((p) => !p.split("/").includes(".."), 'A directory may not contain ".."');

export const sftpOptions = z
  .object({
    host: z
      .string()
      .trim()
      .min(1)
      .max(253)
      .regex(/^[^\s/]+$/, "Give the host name alone, without a scheme or path"),
    port: z.number().int().min(1).max(65535).default(22),
    directory: sftpDirectory,
    processedDirectory: sftpDirectory,
    resultsDirectory: sftpDirectory,
    hostKeySha256: z
      .string()
      .trim()
      .regex(
        /^(SHA256:)?[A-Za-z0-9+/]{43}=?$/,
        "Give the host key fingerprint as ssh-keygen -lf prints it (SHA256:…)",
      ),
  })
  .strict();
export type SftpOptions = z.infer<typeof sftpOptions>;

/** The options of a file integration: its SFTP server (optional) and its default mapping. */
export const fileOptions = z
  .object({
    sftp: sftpOptions.optional(),
    columnMapping: z.record(z.string().max(100), z.string().min(1).max(300)).optional(),
  })
  .strict();

/**
 * The system-specific `options` each connector accepts, so an integration's settings can be
 * validated when they are saved rather than when the first sync runs.
 */
export const CONNECTOR_OPTIONS: Partial<Record<LmsType, z.ZodType>> = {
  file: fileOptions,
  moodle: moodleOptions,
  canvas: canvasOptions,
  talentlms: talentLmsOptions,
};
