/**
 * How many server processes to run on one database file (WORKERS): a number, or "auto" for one per
 * core. One process is the default; SQLite takes one writer at a time, and every transaction takes
 * the write lock first, so several processes share the file safely.
 */
export function workerCount(value: string | undefined, cores: number): { ok: true; workers: number } | { ok: false; message: string } {
  const text = (value ?? "").trim();
  if (text === "" || text === "1") return { ok: true, workers: 1 };
  if (text === "auto") return { ok: true, workers: Math.max(1, cores) };
  if (/^[1-9]\d?$/.test(text) && Number(text) <= 32) return { ok: true, workers: Number(text) };
  return {
    ok: false,
    message: `WORKERS=${value} is not a number of server processes: set it to a number from 1 to 32, or "auto" for one per core.`,
  };
}
