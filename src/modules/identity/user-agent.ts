export interface DeviceInfo {
  deviceType: "mobile" | "desktop" | "tablet" | "bot" | "other";
  browser: string | null;
  browserVersion: string | null;
  os: string | null;
  osVersion: string | null;
  deviceName: string | null;
}

const BROWSERS: Array<[string, RegExp]> = [
  ["Edge", /Edg(?:e|A|iOS)?\/([\d.]+)/],
  ["Opera", /OPR\/([\d.]+)/],
  ["Firefox", /(?:Firefox|FxiOS)\/([\d.]+)/],
  ["Chrome", /(?:Chrome|CriOS)\/([\d.]+)/],
  ["Safari", /Version\/([\d.]+).*Safari/],
  ["curl", /curl\/([\d.]+)/],
];

const SYSTEMS: Array<[string, RegExp]> = [
  ["Windows", /Windows NT ([\d.]+)/],
  ["iOS", /(?:iPhone|iPad|iPod).*OS ([\d_]+)/],
  ["macOS", /Mac OS X ([\d_.]+)/],
  ["Android", /Android ([\d.]+)/],
  ["ChromeOS", /CrOS \w+ ([\d.]+)/],
  ["Linux", /Linux()/],
];

/** A light reading of a User-Agent header: enough to label a session in a list. */
export function parseUserAgent(ua: string | null | undefined): DeviceInfo {
  if (!ua) {
    return {
      deviceType: "other",
      browser: null,
      browserVersion: null,
      os: null,
      osVersion: null,
      deviceName: null,
    };
  }
  const browser = BROWSERS.find(([, re]) => re.test(ua));
  const system = SYSTEMS.find(([, re]) => re.test(ua));
  const deviceType = /bot|crawler|spider/i.test(ua)
    ? "bot"
    : /iPad|Tablet/i.test(ua)
      ? "tablet"
      : /Mobi|iPhone|Android/i.test(ua)
        ? "mobile"
        : browser || system
          ? "desktop"
          : "other";
  const browserName = browser?.[0] ?? null;
  const osName = system?.[0] ?? null;
  return {
    deviceType,
    browser: browserName,
    browserVersion: browser ? (browser[1].exec(ua)?.[1] ?? null) : null,
    os: osName,
    osVersion: system ? system[1].exec(ua)?.[1]?.replaceAll("_", ".") || null : null,
    deviceName: browserName && osName ? `${browserName} on ${osName}` : (browserName ?? osName),
  };
}
