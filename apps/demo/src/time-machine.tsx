import { useQueryClient } from "@tanstack/react-query";
import { type ReactElement, useCallback, useEffect, useState } from "react";

// The fake Instagram's control API and the relay's cron route, proxied same-origin by the demo's Vite
// server (vite.config.ts), so this works on any port without CORS on either.
const FAKE_CONTROL = "/__fake";
const RELAY_SWEEP = "/__relay/__scheduled?cron=17+*/6+*+*+*";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STEPS: { label: string; ms: number; hint: string }[] = [
  { label: "+1 hour", ms: HOUR, hint: "short-lived codes (10 min) are gone" },
  { label: "+1 day", ms: DAY, hint: "nothing expires yet" },
  { label: "+55 days", ms: 55 * DAY, hint: "Instagram's 60-day token is close to its end" },
  { label: "+61 days", ms: 61 * DAY, hint: "the token has expired: the next read asks for a reconnect" },
];

const when = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });

function offsetText(ms: number): string {
  if (ms < 60_000) return "in step with your clock";
  const days = Math.floor(ms / DAY);
  const hours = Math.round((ms % DAY) / HOUR);
  return `${days > 0 ? `${days} d ` : ""}${hours} h ahead of your clock`;
}

/**
 * Development only: moves the fake Instagram's clock forward (its tokens and codes expire by it) and runs
 * the relay's refresh sweep now, to watch a refresh, an expiry and a reconnect without waiting 60 days.
 */
export function TimeMachine(): ReactElement | null {
  const queryClient = useQueryClient();
  const [now, setNow] = useState<number | null>(null);
  const [status, setStatus] = useState("");
  const [unavailable, setUnavailable] = useState(false);

  const read = useCallback(async () => {
    try {
      const response = await fetch(`${FAKE_CONTROL}/clock`);
      if (!response.ok) throw new Error(String(response.status));
      setNow(((await response.json()) as { now: number }).now);
    } catch {
      setUnavailable(true);
    }
  }, []);

  useEffect(() => {
    void read();
  }, [read]);

  async function advance(ms: number, hint: string) {
    const response = await fetch(`${FAKE_CONTROL}/clock/advance`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ms }),
    });
    if (!response.ok) {
      setStatus(`The fake refused: HTTP ${response.status}`);
      return;
    }
    setNow(((await response.json()) as { now: number }).now);
    setStatus(`Moved on: ${hint}.`);
    // Re-read profile and media through the relay, which now asks Instagram at the new time.
    await queryClient.invalidateQueries();
  }

  async function sweep() {
    const response = await fetch(RELAY_SWEEP).catch(() => null);
    setStatus(
      response?.ok
        ? "Refresh sweep ran: tokens due within the relay's refresh window were refreshed (see the relay log)."
        : "The refresh sweep route is not there (the relay runs without --test-scheduled).",
    );
    await queryClient.invalidateQueries();
  }

  if (unavailable) return null;
  return (
    <section className="demo-card" aria-labelledby="time-machine-title" data-testid="time-machine">
      <h2 id="time-machine-title">Time machine</h2>
      <p className="demo-muted">
        The fake Instagram's clock decides when its codes and tokens expire. Move it forward, then watch the
        widget: a refresh by the relay's sweep, an expiry, a reconnect.
      </p>
      <p>
        Fake Instagram time: <strong data-testid="fake-clock">{now === null ? "…" : when.format(now)}</strong>{" "}
        <span className="demo-muted">({now === null ? "…" : offsetText(now - Date.now())})</span>
      </p>
      <div style={{ display: "flex", flexWrap: "wrap", gap: 8 }}>
        {STEPS.map((step) => (
          <button
            key={step.label}
            type="button"
            className="demo-secondary-button"
            title={step.hint}
            onClick={() => void advance(step.ms, step.hint)}
          >
            {step.label}
          </button>
        ))}
        <button type="button" className="demo-secondary-button" onClick={() => void sweep()}>
          Run refresh sweep
        </button>
      </div>
      <p className="demo-muted" role="status" data-testid="time-machine-status">
        {status}
      </p>
      <p className="demo-muted">
        The clock only moves forward; restart <code>pnpm dev</code> to reset it.
      </p>
    </section>
  );
}
