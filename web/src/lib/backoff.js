// Reconnect delay: exponential from `base` ms, capped at `max`, with ±20 % jitter so many tiles do not reconnect in lockstep.
export function backoffDelay(attempt, { base = 500, max = 15000, jitter = 0.2, random = Math.random } = {}) {
  const d = Math.min(max, base * 2 ** Math.max(0, attempt));
  return Math.round(d * (1 - jitter + 2 * jitter * random()));
}
