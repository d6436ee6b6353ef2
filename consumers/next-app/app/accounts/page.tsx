// Server component: creates a connect session for the signed-in user and hands its token to the
// client component. The page is dynamic (per user, never cached); the token is in no URL.
import { createSession, currentUser, relayUrl } from "../../lib/relay";
import { AccountsPanel } from "./accounts-panel";

export const dynamic = "force-dynamic";

export default async function AccountsPage() {
  const user = await currentUser();
  if (!user) {
    return (
      <main>
        <p>Sign in to connect Instagram.</p>
      </main>
    );
  }
  const session = await createSession(user);
  return (
    <main>
      <h1>Your Instagram accounts</h1>
      <AccountsPanel relayUrl={relayUrl} sessionToken={session.ok ? session.data.token : null} />
    </main>
  );
}
