import { API_ROUTES } from "@instagram-connect/types";
import {
  connectionParamsSchema,
  connectionUsageQuerySchema,
  healthQuerySchema,
  usageQuerySchema,
} from "../request-schemas.ts";
import type { PathHelpers } from "./action-paths.ts";
import { jsonSchema, queryParameters } from "./openapi-registry.ts";

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, "{$1}");

/** OpenAPI paths of usage counters and the health report. */
export function monitoringPaths({
  json,
  errors,
  api,
}: PathHelpers): Record<string, Record<string, Record<string, unknown>>> {
  const common = ["unauthorized", "forbidden", "rate_limited", "invalid_request"] as const;
  return {
    [toOpenApiPath(API_ROUTES.usage)]: {
      get: api("monitoring:read", "Usage of the calling key (or ?keyId= another key's), per hour or day", {
        description:
          "A key reads its own usage with any operation; another key's needs monitoring:read. Best-effort counters written off the response path (may lag a few seconds).",
        parameters: queryParameters(usageQuerySchema),
        responses: {
          "200": json("UsageResponse", "Buckets oldest first"),
          ...errors(...common, "not_found"),
        },
      }),
    },
    [toOpenApiPath(API_ROUTES.connectionUsage)]: {
      get: api("monitoring:read", "Usage of one connection (widget and API requests on it)", {
        parameters: [
          {
            name: "connectionId",
            in: "path",
            required: true,
            schema: jsonSchema(connectionParamsSchema.shape.connectionId),
          },
          ...queryParameters(connectionUsageQuerySchema),
        ],
        responses: {
          "200": json("UsageResponse", "Buckets oldest first"),
          ...errors(...common, "connection_not_found"),
        },
      }),
    },
    [toOpenApiPath(API_ROUTES.apiHealth)]: {
      get: api("monitoring:read", "Refresh failures, reauth, dead letters and Instagram budgets", {
        description:
          "Counts are exact (kept on each transition); each list holds at most `limit` entries; budgets cover one page of connections (cursor).",
        parameters: queryParameters(healthQuerySchema),
        responses: { "200": json("ApiHealthResponse", "The relay's health"), ...errors(...common) },
      }),
    },
  };
}
