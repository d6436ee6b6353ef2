import { InstagramFeed } from "@instagram-connect/react/feed";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RELAY_URL } from "./relay-url.ts";
import "@instagram-connect/react/feed.css";
import "./demo.css";

const root = document.getElementById("root");
if (!root) throw new Error("feed.html has no #root");
const feedId = new URLSearchParams(location.search).get("feed");

// What a visitor of the owner's site sees: no sign-in, no API key; the feed is public, readable
// only by the origins the owner allowed, and its images come from the relay, not Instagram's CDN.
createRoot(root).render(
  <StrictMode>
    <main className="demo">
      <header className="demo-header">
        <h1>Our latest posts</h1>
        <p className="demo-lede">
          A visitor's view of a public feed: <code>{"<InstagramFeed relayUrl feedId />"}</code> from{" "}
          <code>@instagram-connect/react/feed</code>. <a href="/site.html">Back to the site</a>.
        </p>
      </header>
      <section className="demo-card" aria-label="Instagram feed">
        {feedId ? (
          <InstagramFeed relayUrl={RELAY_URL} feedId={feedId} className="demo-feed" />
        ) : (
          <p className="demo-error">No feed given: open this page from "Your feed" on the site.</p>
        )}
      </section>
    </main>
  </StrictMode>,
);
