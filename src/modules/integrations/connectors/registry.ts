import type { z } from "zod";
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
 * The system-specific `options` each connector accepts, so an integration's settings can be
 * validated when they are saved rather than when the first sync runs.
 */
export const CONNECTOR_OPTIONS: Partial<Record<LmsType, z.ZodType>> = {
  moodle: moodleOptions,
  canvas: canvasOptions,
  talentlms: talentLmsOptions,
};
