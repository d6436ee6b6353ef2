// Route handler: the page reports a connection with the relay's signed receipt; the server
// trusts it only once verified offline (JWKS fetched once, then cached) and bound to this user.
import { verifyConnectReceipt } from "@instagram-connect/client";
import { currentUser } from "../../../../lib/relay";

export async function POST(request: Request): Promise<Response> {
  const user = await currentUser();
  const { receipt } = (await request.json().catch(() => ({}))) as { receipt?: unknown };
  if (!user || typeof receipt !== "string") return new Response(null, { status: 400 });
  const result = await verifyConnectReceipt(receipt, {
    jwks: `${process.env.RELAY_URL ?? "https://relay.example.com"}/.well-known/jwks.json`,
    ...(process.env.SITE_ORIGIN ? { origin: process.env.SITE_ORIGIN } : {}),
  });
  if (!result.ok || result.claims.endUserId !== user.id) return new Response(null, { status: 403 });
  // Store it: result.claims.sub is the connection id, instagramUserId the account.
  return Response.json({ connectionId: result.claims.sub, instagramUserId: result.claims.instagramUserId });
}
