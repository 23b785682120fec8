import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { randomBytes } from "node:crypto";
import cluster from "node:cluster";
import { createServer } from "node:http";
import { availableParallelism } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { proxyHops } from "./app/domain/proxy";
import { httpSignInAllowed } from "./app/domain/session-policy";
import { isCrossOriginWrite } from "./app/domain/same-origin";
import { cacheControlFor, securityHeaders } from "./app/domain/security-headers";
import { bodyVerdict } from "./app/domain/request-size";
import { gracefulShutdown } from "./app/http/graceful-shutdown.server";
import { movedTo } from "./app/http/moved-paths";
import { workerCount } from "./app/domain/workers";
import { publicUrlWarning } from "./app/domain/public-url";
import { isRefusal } from "./app/utils/refusal";
import { checkDatabase, checkpointDatabase } from "./db/client.server";

type Entry = typeof import("./app/entry.server");

/** How long requests in flight may take to finish once the server has been told to stop. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

/** A database or key that cannot be used safely: say which and what to do, and do not start. */
function refuseToStart(error: unknown): never {
  if (!isRefusal(error)) throw error;
  console.error(`Not starting: ${error.message}`);
  process.exit(1);
}

const root = process.cwd();
const proxies = proxyHops(process.env.TRUST_PROXY);
const processes = workerCount(process.env.WORKERS, availableParallelism());
for (const setting of [proxies, processes]) {
  if (!setting.ok) {
    console.error(setting.message);
    process.exit(1);
  }
}
const hops = proxies.ok ? proxies.hops : 0;
const workers = processes.ok ? processes.workers : 1;

/**
 * What this process is. With several server processes the first only supervises: it never loads the
 * app (a few hundred MB it would hold for nothing); a short-lived process prepares the database and
 * content first, then the server processes start, the first of them keeping the house (expired
 * sessions, progress backfill).
 */
const role: "single" | "supervisor" | "prepare" | "worker" = cluster.isPrimary
  ? workers > 1
    ? "supervisor"
    : "single"
  : process.env.SERVER_ROLE === "prepare"
    ? "prepare"
    : "worker";

if (cluster.isPrimary) {
  try {
    checkDatabase(); // before loading the app, which takes a few seconds
  } catch (e) {
    refuseToStart(e);
  }
  // Certificates issued without it carry an address nobody outside can open; said once, not per worker.
  const warning = publicUrlWarning(process.env);
  if (warning) console.warn(warning);
}

const demoData = process.env.DEMO_DATA !== "0" && process.env.NODE_ENV !== "production";
const httpSignIn = httpSignInAllowed(process.env);

if (role === "supervisor") {
  // The preparing process prints why it could not prepare (a refused database, broken content).
  const prepared = await new Promise<number | null>((resolve) => cluster.fork({ SERVER_ROLE: "prepare" }).once("exit", resolve));
  if (prepared !== 0) process.exit(prepared ?? 1);
  await superviseWorkers(workers);
} else {
  const build = (await import(pathToFileURL(path.join(root, "build", "index.js")).href)) as ServerBuild;
  const entry = build.entry.module as unknown as Entry;
  try {
    // Migrations, content and demo data once, before the server processes start (or in the only one).
    const { seeded } = await entry.prepareApp({ demoData, role, housekeeping: process.env.SERVER_HOUSEKEEPING === "1" });
    if (seeded) console.log("Demo data created.");
  } catch (e) {
    refuseToStart(e);
  }
  if (role === "prepare") {
    await entry.stopApp();
    process.exit(0);
  }
  serve(build, entry);
}

/**
 * The first process starts one server process per WORKERS, all on the same port and database file,
 * starts again any that dies, and on SIGTERM stops them all (each finishing its requests) before it
 * checkpoints the database and exits.
 */
async function superviseWorkers(count: number) {
  let stopping = false;
  // The first keeps the house; a process started again in its place takes over the duty.
  let housekeeper = -1;
  const start = (housekeeping: boolean) => {
    const worker = cluster.fork({ SERVER_ROLE: "worker", SERVER_HOUSEKEEPING: housekeeping ? "1" : "0" });
    if (housekeeping) housekeeper = worker.id;
  };
  for (let i = 0; i < count; i++) start(i === 0);
  cluster.on("exit", (worker, code) => {
    if (stopping) return;
    console.error(`Server process ${worker.process.pid} stopped (${code}); starting another.`);
    start(worker.id === housekeeper);
  });
  console.log(`Started ${count} server processes.`);
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the ${count} server processes.`);
    const exits = Object.values(cluster.workers ?? {}).map(
      (w) => new Promise((resolve) => (w!.isDead() ? resolve(null) : w!.once("exit", resolve))),
    );
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
    await Promise.all(exits);
    checkpointDatabase();
    console.log("Database checkpointed and closed. Stopped.");
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

function serve(build: ServerBuild, entry: Entry) {
  const app = express();
  const server = createServer(app);
  const shutdown = gracefulShutdown(server);
  app.use(shutdown.track);
  app.disable("x-powered-by");
  // Remix reads the query from the URL itself; Express's own parse (qs) of every query string was
  // work for nobody, and on a search page a few percent of the request.
  app.set("query parser", false);
  // Behind N reverse proxies, TRUST_PROXY=N: the client address and scheme are what the outermost of
  // our proxies saw, never what the client wrote into X-Forwarded-For itself.
  app.set("trust proxy", hops);

  app.use((req, res, next) => {
    const nonce = randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    res.set(securityHeaders({ nonce, secure: req.secure }));
    res.set("Cache-Control", cacheControlFor(req.path));
    next();
  });

  // For a process manager or load balancer: answered before sessions and Remix, so it needs no cookie.
  app.get("/healthz", (_req, res) => {
    const health = entry.health();
    res
      .status(health.ok ? 200 : 503)
      .set("Cache-Control", "no-store")
      .json(health);
  });

  app.use((req, res, next) => {
    const to = req.method === "GET" || req.method === "HEAD" ? movedTo(req.originalUrl) : null;
    if (to) res.redirect(301, to);
    else next();
  });

  app.use("/build", express.static(path.join(root, "public", "build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(root, "public"), { maxAge: "1h" }));

  app.use((req, res, next) => {
    const verdict = bodyVerdict({
      method: req.method,
      contentLength: req.get("content-length"),
      transferEncoding: req.get("transfer-encoding"),
    });
    if (verdict !== "ok") {
      res
        .status(verdict === "tooLarge" ? 413 : 411)
        .type("text/plain; charset=utf-8")
        .send(verdict === "tooLarge" ? "请求内容过大 / Request too large" : "请求须注明长度 / Length required");
      return;
    }
    next();
  });

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
      build: entry.withDomainErrorsAnswered(build),
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
  server.on("error", (e: NodeJS.ErrnoException) => {
    console.error(
      `Not starting: cannot listen on ${host}:${port} (${e.code === "EADDRINUSE" ? "another program is using that port; set PORT to a free one" : e.message}).`,
    );
    void entry.stopApp().finally(() => process.exit(1));
  });
  server.listen(port, host, () => console.log(`Listening on http://localhost:${port}`));

  let stopping = false;
  async function stop(signal: NodeJS.Signals) {
    if (stopping) return;
    stopping = true;
    console.log(
      `${signal}: taking no new connections; finishing ${shutdown.inFlight()} request(s) in flight (at most ${SHUTDOWN_TIMEOUT_MS / 1000} s).`,
    );
    const { unfinished } = await shutdown.close(SHUTDOWN_TIMEOUT_MS);
    if (unfinished > 0) console.log(`${unfinished} request(s) did not finish in time and were cut off.`);
    await entry.stopApp();
    console.log("Database checkpointed and closed. Stopped.");
    process.exit(0);
  }
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
