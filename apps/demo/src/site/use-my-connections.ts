import type { ConnectionView } from "@instagram-connect/types";
import { type UseQueryResult, useQuery } from "@tanstack/react-query";
import { demoApi } from "./demo-api.ts";

/** The query key of the signed-in user's connections (invalidate it after a connect or disconnect). */
export const CONNECTIONS_KEY = ["connections"] as const;

/** The signed-in user's connections, as the site's server lists them (by end user id). */
export function useMyConnections(): UseQueryResult<ConnectionView[]> {
  return useQuery({
    queryKey: CONNECTIONS_KEY,
    queryFn: async () => (await demoApi.connections()).items,
  });
}
