import type { ReactElement } from "react";
import type { DemoUser } from "./demo-api.ts";

/** Placeholder until the widget takes a session (swidget). */
export function ConnectCard({ user }: { user: DemoUser }): ReactElement {
  return <section className="demo-card">{user.displayName}</section>;
}
