import type { CSSProperties } from "react";

// Inline styles only, so nothing leaks into the host page; colours read `--ic-*` variables.
// Secondary buttons (Cancel, Disconnect beside Reconnect) keep the browser's look, so a host
// stylesheet can restyle them through `className` without fighting inline styles.

/** Root wrapper. */
export const rootStyle: CSSProperties = { display: "inline-flex", alignItems: "center", gap: 8 };

/** The main (gradient) button. */
export const primaryStyle: CSSProperties = {
  font: "inherit",
  padding: "8px 16px",
  border: 0,
  borderRadius: "var(--ic-radius,8px)",
  color: "var(--ic-color,#fff)",
  background: "var(--ic-bg,linear-gradient(45deg,#f09433,#dc2743,#bc1888))",
  cursor: "pointer",
};

/** Profile picture. */
export const avatarStyle: CSSProperties = { width: 32, height: 32, borderRadius: "50%" };

/** The status region: for screen readers only (the buttons show the state). */
export const hiddenStyle: CSSProperties = {
  position: "absolute",
  width: 1,
  height: 1,
  overflow: "hidden",
  clipPath: "inset(50%)",
};
