import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { isCrossOriginWrite } from "./app/domain/same-origin";
import { isRefusal } from "./app/utils/refusal";
import { checkDatabase } from "./db/client.server";

type Entry = typeof import("./app/entry.server");

/** A database or key that cannot be used safely: say which and what to do, and do not start. */
function refuseToStart(error: unknown): never {
  if (!isRefusal(error)) throw error;
  console.error(`Not starting: ${error.message}`);
  process.exit(1);
}

try {
  checkDatabase(); // before loading the app, which takes a few seconds
} catch (e) {
  refuseToStart(e);
}

const root = process.cwd();
const build = (await import(pathToFileURL(path.join(root, "build", "index.js")).href)) as ServerBuild;
const entry = build.entry.module as unknown as Entry;

const demoData = process.env.DEMO_DATA !== "0" && process.env.NODE_ENV !== "production";
try {
  const { seeded } = await entry.prepareApp({ demoData });
  if (seeded) console.log("Demo data created.");
} catch (e) {
  refuseToStart(e);
}

const app = express();
app.disable("x-powered-by");
// Behind a reverse proxy, set TRUST_PROXY=1 so throttling sees the real client address.
app.set("trust proxy", process.env.TRUST_PROXY === "1");

app.use("/build", express.static(path.join(root, "public", "build"), { immutable: true, maxAge: "1y" }));
app.use(express.static(path.join(root, "public"), { maxAge: "1h" }));

app.use((req, res, next) => {
  const crossOrigin = isCrossOriginWrite({
    method: req.method,
    origin: req.get("origin") ?? null,
    secFetchSite: req.get("sec-fetch-site") ?? null,
    host: req.get("host") ?? null,
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
      });
      for (const cookie of setCookies) res.append("Set-Cookie", cookie);
      return context;
    },
  }),
);

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";
app.listen(port, host, () => console.log(`Listening on http://localhost:${port}`));
