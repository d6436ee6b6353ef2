import type { Context } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";

/** A signed-in person of the demo site (the relay's "end user"). */
export interface DemoUser {
  /** The end user id the relay stores on this user's connections. */
  id: string;
  /** "a" or "b": what the sign-in buttons send. */
  key: DemoUserKey;
  displayName: string;
}

export type DemoUserKey = "a" | "b";

/** The two demo users: enough to show that each sees only their own connections. */
export const DEMO_USERS: Record<DemoUserKey, DemoUser> = {
  a: { id: "demo-user-a", key: "a", displayName: "Alice (user A)" },
  b: { id: "demo-user-b", key: "b", displayName: "Bob (user B)" },
};

const COOKIE = "demo_session";

/**
 * A fake sign-in kept in a signed, HttpOnly cookie. The signing secret is random per server start
 * (a restart signs everyone out), which is all a demo needs; a real site has real accounts.
 */
export function demoSessions(secret: string) {
  return {
    /** The signed-in user, or null (no cookie, a forged or stale one). */
    async current(c: Context): Promise<DemoUser | null> {
      const value = await getSignedCookie(c, secret, COOKIE);
      return value && isUserKey(value) ? DEMO_USERS[value] : null;
    },
    async signIn(c: Context, user: DemoUser): Promise<void> {
      await setSignedCookie(c, COOKIE, user.key, secret, {
        httpOnly: true,
        sameSite: "Lax",
        path: "/",
      });
    },
    signOut(c: Context): void {
      deleteCookie(c, COOKIE, { path: "/" });
    },
  };
}

export function isUserKey(value: unknown): value is DemoUserKey {
  return value === "a" || value === "b";
}
