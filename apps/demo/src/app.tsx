import { InstagramConnect } from "@instagram-connect/react";
import type { ReactElement } from "react";
import { HeadlessButton } from "./headless-button.tsx";
import { HowItWorks } from "./how-it-works.tsx";
import { MediaGrid } from "./media-grid.tsx";
import { ProfileCard } from "./profile-card.tsx";
import { RELAY_URL } from "./relay-url.ts";
import { TimeMachine } from "./time-machine.tsx";

/** The demo page: the drop-in widget, a headless button, and what the hooks read once connected. */
export function App(): ReactElement {
  return (
    <main className="demo">
      <header className="demo-header">
        <h1>instagram-connect</h1>
        <p className="demo-lede">
          Let your visitors connect an Instagram account in one click. This page runs entirely on your machine
          against a <strong>fake Instagram</strong>: no Instagram account, app or secret needed.
        </p>
      </header>

      <section className="demo-card" aria-labelledby="widget-title">
        <h2 id="widget-title">Drop-in component</h2>
        <p className="demo-muted">
          <code>{"<InstagramConnect relayUrl={…} />"}</code>: click it, pick an account on the fake consent
          page and press <em>Allow</em>.
        </p>
        <div className="demo-widget-row">
          <InstagramConnect relayUrl={RELAY_URL} className="demo-widget" />
        </div>
        <p className="demo-muted">
          <a href="/states.html">See every state of the widget side by side</a> (light and dark).
        </p>
        <p className="demo-muted">
          <a href="/site.html">A site with users</a>: sign in as demo user A or B, connect with a connect
          session, the receipt verified by the site's server, your public feed and publishing a picture.
        </p>
      </section>

      <section className="demo-card" aria-labelledby="headless-title">
        <h2 id="headless-title">Your own button</h2>
        <p className="demo-muted">
          Built on <code>useInstagramConnect()</code>, the headless hook behind the component. Both share one
          connection.
        </p>
        <HeadlessButton />
      </section>

      <ProfileCard />
      <MediaGrid />
      <HowItWorks />
      <TimeMachine />
    </main>
  );
}
