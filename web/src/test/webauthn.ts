/**
 * What a stubbed `@simplewebauthn/browser` `startRegistration` answers in component tests: a
 * security key's registration response, as the browser's prompt would return it.
 */
export const REGISTRATION_RESPONSE = {
  id: "cred",
  rawId: "cred",
  type: "public-key",
  clientExtensionResults: {},
  response: { clientDataJSON: "cd", attestationObject: "ao", transports: ["usb"] },
} as const;
