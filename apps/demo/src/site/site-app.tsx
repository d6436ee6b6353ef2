import { useMutation, useQuery } from "@tanstack/react-query";
import type { ReactElement } from "react";
import { ConnectCard } from "./connect-card.tsx";
import { demoApi } from "./demo-api.ts";
import { FeedCard } from "./feed-card.tsx";
import { PublishCard } from "./publish-card.tsx";

/**
 * A site with its own users and backend (server/): fake sign-in as user A or B, then the widget
 * with a connect session, the connections the server lists for this user, "Your feed" and "Publish".
 */
export function SiteApp(): ReactElement {
  const me = useQuery({ queryKey: ["me"], queryFn: demoApi.me });
  const user = me.data?.user ?? null;
  // Another user means other connections, feeds and media, and the widget's in-memory handle
  // belongs to the previous one: start the page afresh, as a real site's sign-in does.
  const switchUser = useMutation({
    mutationFn: async (key: "a" | "b" | null): Promise<unknown> =>
      key ? demoApi.signIn(key) : demoApi.signOut(),
    onSuccess: () => location.reload(),
  });

  return (
    <main className="demo">
      <header className="demo-header">
        <h1>A site with users</h1>
        <p className="demo-lede">
          This page has a backend (<code>apps/demo/server</code>) holding the relay API key. Sign in as one of
          two demo users: each connects their own Instagram account through a <strong>connect session</strong>{" "}
          the server creates, and sees only their own connections. <a href="/">Back to the widget demo</a>.
        </p>
      </header>

      <section className="demo-card" aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">Sign in</h2>
        <p data-testid="signed-in-user">
          {me.isPending ? "…" : user ? `Signed in as ${user.displayName}` : "Not signed in"}
        </p>
        <div className="demo-site-actions">
          <button type="button" className="demo-secondary-button" onClick={() => switchUser.mutate("a")}>
            Sign in as A
          </button>
          <button type="button" className="demo-secondary-button" onClick={() => switchUser.mutate("b")}>
            Sign in as B
          </button>
          {user && (
            <button type="button" className="demo-link-button" onClick={() => switchUser.mutate(null)}>
              Sign out
            </button>
          )}
        </div>
        {me.error && (
          <p className="demo-error" role="alert">
            The site's backend is not answering ({me.error.message}).
          </p>
        )}
      </section>

      {user && (
        <>
          <ConnectCard key={user.id} user={user} />
          <FeedCard />
          <PublishCard />
        </>
      )}
    </main>
  );
}
