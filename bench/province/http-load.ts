import { performance } from "node:perf_hooks";

/**
 * Requests as a browser makes them, over keep-alive connections: each response is read to its
 * last byte, and one that is not what the page answers (a status other than those expected, or no
 * answer) counts as an error.
 */

export interface PageRequest {
  method: "GET" | "POST";
  path: string;
  cookie?: string;
  /** A form body, for POST. Built again for each request, so successive saves can differ. */
  body?: (i: number) => URLSearchParams;
  expect: number[];
}

export interface Sample {
  latencies: number[];
  errors: number;
  /** What the first error was, to name it in the report. */
  firstError?: string;
}

/** Signs in through the login form and returns the session cookie. */
export async function signIn(url: string, identifier: string, password: string): Promise<string> {
  const res = await fetch(`${url}/login`, { method: "POST", body: new URLSearchParams({ identifier, password }), redirect: "manual" });
  await res.arrayBuffer();
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .filter((c) => !c.endsWith("="))
    .join("; ");
  if (res.status !== 302 || !cookie) throw new Error(`${identifier} could not sign in (${res.status})`);
  return cookie;
}

async function once(url: string, req: PageRequest, i: number, into: Sample): Promise<void> {
  const start = performance.now();
  try {
    const res = await fetch(url + req.path, {
      method: req.method,
      headers: req.cookie ? { Cookie: req.cookie } : {},
      body: req.body?.(i),
      redirect: "manual",
    });
    await res.arrayBuffer();
    into.latencies.push(performance.now() - start);
    if (!req.expect.includes(res.status)) {
      into.errors++;
      into.firstError ??= `HTTP ${res.status}`;
    }
  } catch (e) {
    into.latencies.push(performance.now() - start);
    into.errors++;
    into.firstError ??= (e as Error).message;
  }
}

export interface Run {
  /** Requests made whatever the time. */
  least: number;
  /** Requests wanted, unless `maxMs` runs out first. */
  wanted: number;
  /** Requests and time that suffice, whichever comes last, when fewer than `wanted`. */
  enough?: { requests: number; ms: number };
  /** No new request after this long, once `least` were made: a slow page keeps the run short. */
  maxMs: number;
}

function goOn(run: Run, made: number, startedAt: number): boolean {
  const elapsed = performance.now() - startedAt;
  if (made < run.least) return true;
  if (made >= run.wanted || elapsed >= run.maxMs) return false;
  return !run.enough || made < run.enough.requests || elapsed < run.enough.ms;
}

/** One request after another. */
export async function sequential(url: string, req: PageRequest, run: Run, firstIndex = 0): Promise<Sample> {
  const sample: Sample = { latencies: [], errors: 0 };
  const start = performance.now();
  for (let i = 0; goOn(run, i, start); i++) await once(url, req, firstIndex + i, sample);
  return sample;
}

/** Requests kept `connections` at a time. */
export async function concurrent(url: string, req: PageRequest, connections: number, run: Run, firstIndex = 0): Promise<Sample> {
  const sample: Sample = { latencies: [], errors: 0 };
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (goOn(run, next, start)) await once(url, req, firstIndex + next++, sample);
    }),
  );
  return sample;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
