"use client";
import type { ConnectionView, InstagramProfile } from "@instagram-connect/types";
import type { UseQueryResult } from "@tanstack/react-query";
import type { ConnectError } from "./connect-error.ts";
import { type InstagramRelayOptions, useRelayContext } from "./relay-context.ts";
import { useConnectionQuery } from "./use-instagram-connection.ts";

const profileOf = (connection: ConnectionView) => connection.profile;

/**
 * The connected account's public profile (shares the connection query's cache).
 *
 * @example
 * const { data: profile } = useInstagramProfile({ relayUrl });
 * profile && <img src={profile.profilePictureUrl ?? ""} alt={profile.username} />;
 */
export function useInstagramProfile(
  options: InstagramRelayOptions,
): UseQueryResult<InstagramProfile, ConnectError> {
  return useConnectionQuery(useRelayContext(options), profileOf);
}
