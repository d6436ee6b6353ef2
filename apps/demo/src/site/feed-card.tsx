import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ReactElement } from "react";
import { demoApi } from "./demo-api.ts";
import { useMyConnections } from "./use-my-connections.ts";

/** "Your feed": the owner publishes a public feed of a connection; visitors see it on feed.html. */
export function FeedCard(): ReactElement {
  const queryClient = useQueryClient();
  const connections = useMyConnections();
  const feeds = useQuery({ queryKey: ["feeds"], queryFn: async () => (await demoApi.feeds()).items });
  const create = useMutation({
    mutationFn: demoApi.createFeed,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["feeds"] }),
  });
  const usernameOf = (connectionId: string) =>
    connections.data?.find((c) => c.id === connectionId)?.profile.username ?? connectionId;

  return (
    <section className="demo-card" aria-labelledby="feed-title">
      <h2 id="feed-title">Your feed</h2>
      <p className="demo-muted">
        Publish your newest posts on your site: the relay copies the images into its own storage (R2), so the
        feed keeps working after Instagram's image links expire. Only this site's origin may read it.
      </p>
      {connections.data?.length === 0 && <p className="demo-muted">Connect an account first.</p>}
      <div className="demo-site-actions">
        {connections.data?.map((connection) => (
          <button
            key={connection.id}
            type="button"
            className="demo-secondary-button"
            disabled={create.isPending}
            onClick={() => create.mutate(connection.id)}
          >
            Publish a feed of @{connection.profile.username}
          </button>
        ))}
      </div>
      {create.error && (
        <p className="demo-error" role="alert">
          The feed was not created: {create.error.message}
        </p>
      )}
      {(feeds.data?.length ?? 0) > 0 && (
        <ul className="demo-site-list">
          {feeds.data?.map((feed) => (
            <li key={feed.feedId} data-testid="feed-entry">
              @{usernameOf(feed.connectionId)}, {feed.limit} posts:{" "}
              <a href={`/feed.html?feed=${encodeURIComponent(feed.feedId)}`} data-testid="feed-link">
                open the visitor page
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
