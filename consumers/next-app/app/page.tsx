// A server component page rendering the widget straight from the tarball: the package's own
// "use client" boundary must make this work without a wrapper file.
import { InstagramConnect } from "@instagram-connect/react";

const relayUrl = process.env.NEXT_PUBLIC_RELAY_URL ?? "https://relay.example.com";

export default function Page() {
  return (
    <main>
      <h1>Connect your Instagram</h1>
      <InstagramConnect relayUrl={relayUrl} />
    </main>
  );
}
