// Route handler: a fresh connect session for the signed-in user (the widget's getSessionToken).
import { createSession, currentUser } from "../../../../lib/relay";

export async function POST(): Promise<Response> {
  const user = await currentUser();
  if (!user) return new Response(null, { status: 401 });
  const session = await createSession(user);
  if (!session.ok) return Response.json({ error: session.error.code }, { status: 502 });
  // The token is a secret that starts one consent: never cached, never in a URL.
  return new Response(session.data.token, {
    headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" },
  });
}
