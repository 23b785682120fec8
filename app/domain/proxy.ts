/**
 * How many reverse proxies stand in front of the server (TRUST_PROXY). The client's address is the
 * one the outermost of our own proxies saw; trusting every X-Forwarded-For hop would let anyone
 * name their own address and walk past the per-address limits.
 */
export function proxyHops(value: string | undefined): { ok: true; hops: number } | { ok: false; message: string } {
  const text = (value ?? "").trim();
  if (text === "" || text === "0") return { ok: true, hops: 0 };
  if (/^[1-9]$/.test(text)) return { ok: true, hops: Number(text) };
  return {
    ok: false,
    message: `TRUST_PROXY=${value} is not a number of proxies: set it to how many reverse proxies stand in front of the server (1 for one nginx), or leave it unset.`,
  };
}
