import { prepared } from "../../db/client.server";

/**
 * Figures read from the whole register (the subsidy tally, who a policy reaches) are kept per
 * process while the `subsidy` change counter stands still; the triggers that move it see every
 * write to the records under them, whichever process or script made it. Each use costs one
 * indexed read of the counter.
 */
const cache = new Map<string, { version: number; value: unknown }>();
const MAX_ENTRIES = 1_000;

function version(): number {
  return prepared("select n from change_counters where name = 'subsidy'").pluck().get() as number;
}

export function whileRegisterUnchanged<T>(key: string, compute: () => T): T {
  const now = version();
  const hit = cache.get(key);
  if (hit && hit.version === now) return hit.value as T;
  const value = compute();
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(key, { version: now, value });
  return value;
}
