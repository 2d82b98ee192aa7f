// The tile's attempt sequence: after a failure move to the next player at once; after every player has failed
// once, start again from the first after a backoff delay. A successful start resets the failure count.
import { backoffDelay } from '../backoff.js';

/** @returns {{idx:number, failures:number, delay:number}} the next attempt after attempt `idx` failed */
export function afterFailure({ idx, failures }, count, opts) {
  const next = (idx + 1) % count;
  const f = next === 0 ? failures + 1 : failures;
  return { idx: next, failures: f, delay: next === 0 ? backoffDelay(f, opts) : 0 };
}
