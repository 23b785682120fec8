import { Writable } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { closeDatabase, db } from "../db/client.server";
import { stopBackgroundWriter } from "./services/background-writer.server";
import { backfillProgress } from "./services/completion.server";
import { loadCurrentUser } from "./auth/current-user.server";
import { checkSession, deleteExpiredSessions } from "./auth/lucia.server";
import { hashPassword } from "./auth/password.server";
import { localeFromCookie } from "./i18n/messages";
import { DEMO_PASSWORD } from "../db/seed/demo";
import { publishProgramVersions } from "./services/program-versions.server";
import { ensureSigningKey, refuseLostSigningKey } from "./services/signing.server";
import { checkHealth, type Health } from "./services/health.server";
import { payingPolicies } from "./content/policies.server";
import { assessmentTemplates } from "./content/assessment-templates.server";
import { regions } from "./content/regions.server";
import { assignDefaultRegion } from "./services/organisations.server";
import { seedDemoData } from "./demo/demo-activity.server";
import { warmUpCertificates } from "./pdf/certificate.server";
import { startScheduler, stopScheduler } from "./services/scheduler.server";
import { workCalendar } from "./content/calendars.server";
import type { RequestContext } from "./context";
import { NonceContext } from "./components/nonce";
import { withoutNul } from "./http/nul-bytes";
import { carriesNotice, clearedNoticeCookie, readNotice } from "./http/notice-cookie.server";

const ABORT_DELAY = 5_000;

/**
 * Collects the rendered page whole. Every loader here answers before rendering starts (SQLite is
 * synchronous and no route defers data), so streaming the page in React's 2 KB pieces gained
 * nothing and cost a write through three stream layers per piece: a sixth of a long page's CPU.
 * The NUL bytes React 18 can leave in it are removed once, over the whole page (see `withoutNul`).
 */
function documentCollector(): { sink: Writable; page: Promise<Uint8Array<ArrayBuffer>> } {
  const chunks: Buffer[] = [];
  let sink!: Writable;
  const page = new Promise<Uint8Array<ArrayBuffer>>((resolve, reject) => {
    sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
      final(callback) {
        const html = withoutNul(Buffer.concat(chunks));
        // Buffer.concat allocates a plain ArrayBuffer, never a shared one.
        resolve(new Uint8Array(html.buffer as ArrayBuffer, html.byteOffset, html.length));
        callback();
      },
      destroy(error, callback) {
        if (error) reject(error);
        callback(error);
      },
    });
  });
  return { sink, page };
}

/**
 * Run once before the server listens: migrations (on first use of the database), programme content
 * (loaded, validated and its versions published; a broken file stops the start) and demo data. A
 * database or signing key that cannot be used safely throws a Refusal, whose message the server prints.
 */
export async function prepareApp(options: {
  demoData: boolean;
  role?: "single" | "prepare" | "worker";
  housekeeping?: boolean;
}): Promise<{ seeded: boolean }> {
  const role = options.role ?? "single";
  // "prepare" runs once before the server processes start and then exits; "worker" is one of them;
  // "single" is the whole server in one process.
  db(); // opens the database, applying migrations
  regions();
  if (role !== "worker") {
    const regioned = assignDefaultRegion(process.env.DEFAULT_REGION);
    if (regioned) console.log(`DEFAULT_REGION: ${regioned} organisations without a region were put in ${process.env.DEFAULT_REGION}.`);
  }
  publishProgramVersions();
  // Every policy of every kind, each file checked, and no code used twice.
  payingPolicies();
  assessmentTemplates();
  workCalendar();
  refuseLostSigningKey();
  ensureSigningKey();
  if (role === "prepare") return { seeded: options.demoData ? await seedDemoData(await hashPassword(DEMO_PASSWORD)) : false };
  await warmUpCertificates();
  if (role === "single" || options.housekeeping) {
    await deleteExpiredSessions();
    // Enrolments from before progress was stored get theirs a little at a time, while the server answers.
    void backfillProgress().then((n) => n && console.log(`Stored the progress of ${n} enrolment(s).`));
  }
  // Also finishes demo activity that an interrupted earlier start left undone.
  const seeded = role !== "worker" && options.demoData ? await seedDemoData(await hashPassword(DEMO_PASSWORD)) : false;
  // After the demo data, so its first run already sees the demo's certificates and placements.
  startScheduler();
  return { seeded };
}

/** The build as the HTTP server serves it: services' domain errors answered with their HTTP status (same bundle, same classes). */
export { withDomainErrorsAnswered } from "./http/domain-errors.server";

/** Run once after the server has stopped taking requests: the database file alone then holds everything. */
export async function stopApp(): Promise<void> {
  stopScheduler();
  await stopBackgroundWriter();
  closeDatabase();
}

/** For /healthz, answered by the HTTP server without a session. */
export function health(): Health {
  return checkHealth();
}

/** Who is asking, in which language: computed once per request for every loader and action. */
export async function requestContext(input: {
  cookieHeader: string | null;
  clientAddress: string;
  secure: boolean;
  httpSignIn: boolean;
  cspNonce: string;
}): Promise<{ context: RequestContext; setCookies: string[] }> {
  const session = await checkSession(input.cookieHeader, { secure: input.secure });
  const user = session.userId ? loadCurrentUser(session.userId) : null;
  const notice = readNotice(input.cookieHeader);
  return {
    context: {
      user,
      sessionId: user ? session.sessionId : null,
      clientAddress: input.clientAddress,
      secure: input.secure,
      httpSignIn: input.httpSignIn,
      cspNonce: input.cspNonce,
      locale: localeFromCookie(input.cookieHeader),
      notice,
    },
    // Shown once: cleared as soon as a request has carried it.
    setCookies: carriesNotice(input.cookieHeader) ? [...session.setCookies, clearedNoticeCookie] : session.setCookies,
  };
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        onAllReady() {
          shellRendered = true;
          const { sink, page } = documentCollector();
          page.then((html) => {
            clearTimeout(timeout);
            responseHeaders.set("Content-Type", "text/html; charset=utf-8");
            responseHeaders.set("Content-Length", String(html.length));
            resolve(new Response(html, { headers: responseHeaders, status: responseStatusCode }));
          }, reject);
          pipe(sink);
        },
        onShellError(error: unknown) {
          clearTimeout(timeout);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    const timeout = setTimeout(abort, ABORT_DELAY);
  });
}
