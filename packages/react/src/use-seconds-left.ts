"use client";
import { useEffect, useReducer } from "react";

/** Whole seconds left until `until` (epoch ms), re-rendering every second while above zero. */
export function useSecondsLeft(until: number | null): number {
  const [, tick] = useReducer((n: number) => n + 1, 0);
  const left = Math.max(0, Math.ceil(((until ?? 0) - Date.now()) / 1000));
  const counting = left > 0;
  useEffect(() => {
    if (!counting) return;
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [counting]);
  return left;
}
