import type { ReactElement } from "react";
import { RELAY_URL } from "./relay-url.ts";

/** What happens behind the buttons, in four steps. */
export function HowItWorks(): ReactElement {
  return (
    <section className="demo-card demo-explainer" aria-labelledby="how-title">
      <h2 id="how-title">What is happening</h2>
      <ol>
        <li>
          The button opens a popup on the <strong>relay</strong> (<code>{RELAY_URL}</code>, a Cloudflare
          Worker under <code>wrangler dev</code>), which checks this site's origin and sends the popup to
          Instagram's consent page.
        </li>
        <li>
          Here that page is the <strong>fake Instagram</strong> on <code>localhost:8788</code>: pick @jane.doe
          or @max.creator, then Allow or Deny.
        </li>
        <li>
          The relay exchanges the code with the app secret, stores the token encrypted and hands this page
          only a connection handle. The Instagram token never reaches the browser.
        </li>
        <li>
          The hooks read the profile and media through the relay with that handle. Disconnect deletes the
          stored token.
        </li>
      </ol>
      <p className="demo-muted">
        Popup blocked? The widget continues in this tab by redirect. Try{" "}
        <a href="?coop">this page with a strict opener policy</a>: the popup loses its link to this page and
        the widget learns the result by polling the relay instead.
      </p>
    </section>
  );
}
