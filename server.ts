import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { proxyHops } from "./app/domain/proxy";
import { httpSignInAllowed } from "./app/domain/session-policy";
import { isCrossOriginWrite } from "./app/domain/same-origin";
import { cacheControlFor, securityHeaders } from "./app/domain/security-headers";

type Entry = typeof import("./app/entry.server");

const root = process.cwd();
const proxies = proxyHops(process.env.TRUST_PROXY);
if (!proxies.ok) {
  console.error(proxies.message);
  process.exit(1);
}
const build = (await import(pathToFileURL(path.join(root, "build", "index.js")).href)) as ServerBuild;
const entry = build.entry.module as unknown as Entry;

const demoData = process.env.DEMO_DATA !== "0" && process.env.NODE_ENV !== "production";
const httpSignIn = httpSignInAllowed(process.env);
const { seeded } = await entry.prepareApp({ demoData });
if (seeded) console.log("Demo data created.");

const app = express();
app.disable("x-powered-by");
// Behind N reverse proxies, TRUST_PROXY=N: the client address and scheme are what the outermost of
// our proxies saw, never what the client wrote into X-Forwarded-For itself.
app.set("trust proxy", proxies.hops);

app.use((req, res, next) => {
  const nonce = randomBytes(16).toString("base64");
  res.locals.cspNonce = nonce;
  res.set(securityHeaders({ nonce, secure: req.secure }));
  res.set("Cache-Control", cacheControlFor(req.path));
  next();
});

app.use("/build", express.static(path.join(root, "public", "build"), { immutable: true, maxAge: "1y" }));
app.use(express.static(path.join(root, "public"), { maxAge: "1h" }));

app.use((req, res, next) => {
  const crossOrigin = isCrossOriginWrite({
    method: req.method,
    origin: req.get("origin") ?? null,
    secFetchSite: req.get("sec-fetch-site") ?? null,
    host: req.get("host") ?? null,
    scheme: req.protocol,
  });
  if (crossOrigin) {
    res.status(403).type("text/plain; charset=utf-8").send("跨站请求已被拒绝 / Cross-origin request refused");
    return;
  }
  next();
});

app.all(
  "*",
  createRequestHandler({
    build,
    mode: process.env.NODE_ENV,
    getLoadContext: async (req, res) => {
      const { context, setCookies } = await entry.requestContext({
        cookieHeader: req.get("cookie") ?? null,
        clientAddress: req.ip ?? req.socket.remoteAddress ?? "unknown",
        secure: req.secure,
        httpSignIn,
        cspNonce: res.locals.cspNonce as string,
      });
      for (const cookie of setCookies) res.append("Set-Cookie", cookie);
      return context;
    },
  }),
);

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";
app.listen(port, host, () => console.log(`Listening on http://localhost:${port}`));
