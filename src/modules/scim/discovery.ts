import { ENTERPRISE_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from "./filter.js";
import { LIST_SCHEMA } from "./resources.js";

/**
 * What the service provider says about itself (RFC 7643 §5–7): the features it supports, the
 * resource types and the schemas with the attributes Lyceum keeps.
 */

export const MAX_RESULTS = 200;

export function serviceProviderConfig(baseUrl: string, documentationUri: string) {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
    documentationUri,
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "Bearer token",
        description:
          "A provisioning token an organization administrator creates in Lyceum; it reaches that organization only.",
        specUri: "https://www.rfc-editor.org/rfc/rfc6750",
        documentationUri,
        primary: true,
      },
    ],
    meta: {
      resourceType: "ServiceProviderConfig",
      location: `${baseUrl}/ServiceProviderConfig`,
    },
  };
}

const RESOURCE_TYPES = [
  {
    id: "User",
    name: "User",
    endpoint: "/Users",
    description: "A person of the organization (an organization membership)",
    schema: USER_SCHEMA,
    schemaExtensions: [{ schema: ENTERPRISE_SCHEMA, required: false }],
  },
  {
    id: "Group",
    name: "Group",
    endpoint: "/Groups",
    description: "A team of the organization",
    schema: GROUP_SCHEMA,
  },
];

export function resourceTypes(baseUrl: string) {
  return RESOURCE_TYPES.map((type) => ({
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
    ...type,
    meta: { resourceType: "ResourceType", location: `${baseUrl}/ResourceTypes/${type.id}` },
  }));
}

interface Attribute {
  name: string;
  type: "string" | "boolean" | "complex" | "reference" | "dateTime";
  multiValued?: boolean;
  required?: boolean;
  caseExact?: boolean;
  mutability?: "readOnly" | "readWrite" | "immutable" | "writeOnly";
  returned?: "always" | "default" | "never" | "request";
  uniqueness?: "none" | "server" | "global";
  description: string;
  subAttributes?: Attribute[];
  referenceTypes?: string[];
}

function attribute(a: Attribute): Attribute {
  return {
    multiValued: false,
    required: false,
    caseExact: false,
    mutability: "readWrite",
    returned: "default",
    uniqueness: "none",
    ...a,
    ...(a.subAttributes ? { subAttributes: a.subAttributes.map(attribute) } : {}),
  };
}

const SCHEMAS = [
  {
    id: USER_SCHEMA,
    name: "User",
    description: "A person of the organization",
    attributes: [
      {
        name: "userName",
        type: "string",
        required: true,
        uniqueness: "server",
        description: "The person's email address, which is also their sign-in",
      },
      {
        name: "name",
        type: "complex",
        description: "The person's name",
        subAttributes: [
          { name: "givenName", type: "string", description: "First name" },
          { name: "familyName", type: "string", description: "Last name" },
          {
            name: "formatted",
            type: "string",
            mutability: "readOnly",
            description: "First and last name",
          },
        ],
      },
      { name: "displayName", type: "string", description: "The name shown to others" },
      { name: "title", type: "string", description: "Job title in the organization" },
      {
        name: "active",
        type: "boolean",
        description: "false suspends the membership, ends the person's sessions, frees seats",
      },
      {
        name: "emails",
        type: "complex",
        multiValued: true,
        description: "One work address, the same as userName",
        subAttributes: [
          { name: "value", type: "string", description: "The address" },
          { name: "type", type: "string", description: "Always work" },
          { name: "primary", type: "boolean", description: "Always true" },
        ],
      },
      {
        name: "groups",
        type: "complex",
        multiValued: true,
        mutability: "readOnly",
        description: "The teams the person is in (change them through Groups)",
        subAttributes: [
          { name: "value", type: "string", mutability: "readOnly", description: "Team id" },
          { name: "display", type: "string", mutability: "readOnly", description: "Team name" },
        ],
      },
    ],
  },
  {
    id: ENTERPRISE_SCHEMA,
    name: "EnterpriseUser",
    description: "Enterprise attributes kept on the organization membership",
    attributes: [
      {
        name: "employeeNumber",
        type: "string",
        caseExact: true,
        description: "The HR system's employee number",
      },
      {
        name: "department",
        type: "string",
        description: "The department's name; a department of that name is created if missing",
      },
      {
        name: "manager",
        type: "complex",
        description: "The person's manager, another user of the organization",
        subAttributes: [
          {
            name: "value",
            type: "string",
            caseExact: true,
            description: "The manager's id (a SCIM User id)",
          },
          {
            name: "displayName",
            type: "string",
            mutability: "readOnly",
            description: "The manager's name",
          },
        ],
      },
    ],
  },
  {
    id: GROUP_SCHEMA,
    name: "Group",
    description: "A team of the organization",
    attributes: [
      {
        name: "displayName",
        type: "string",
        required: true,
        uniqueness: "server",
        description: "The team's name",
      },
      {
        name: "members",
        type: "complex",
        multiValued: true,
        description: "The people in the team (users of the organization)",
        subAttributes: [
          { name: "value", type: "string", caseExact: true, description: "A SCIM User id" },
          {
            name: "display",
            type: "string",
            mutability: "readOnly",
            description: "The person's name",
          },
        ],
      },
    ],
  },
] as const;

export function schemas(baseUrl: string) {
  return SCHEMAS.map((s) => ({
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
    id: s.id,
    name: s.name,
    description: s.description,
    attributes: (s.attributes as readonly Attribute[]).map(attribute),
    meta: { resourceType: "Schema", location: `${baseUrl}/Schemas/${s.id}` },
  }));
}

export function listOf(resources: unknown[]) {
  return {
    schemas: [LIST_SCHEMA],
    totalResults: resources.length,
    startIndex: 1,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
