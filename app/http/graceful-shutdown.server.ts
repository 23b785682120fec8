import type { Server, ServerResponse } from "node:http";
import type { RequestHandler } from "express";

/**
 * Stops an HTTP server without cutting anyone off: no new connections, requests already in flight
 * finish (up to a time limit, after which their connections are closed), and a keep-alive connection
 * is closed after its current response instead of waiting for another request.
 */
export function gracefulShutdown(server: Server) {
  const inFlight = new Set<ServerResponse>();
  let stopping = false;

  const track: RequestHandler = (_req, res, next) => {
    if (stopping) res.setHeader("Connection", "close");
    inFlight.add(res);
    res.on("close", () => {
      inFlight.delete(res);
      if (stopping) server.closeIdleConnections();
    });
    next();
  };

  function close(timeoutMs: number): Promise<{ unfinished: number }> {
    stopping = true;
    for (const res of inFlight) if (!res.headersSent) res.setHeader("Connection", "close");
    return new Promise((resolve) => {
      let unfinished = 0;
      const deadline = setTimeout(() => {
        unfinished = inFlight.size;
        server.closeAllConnections();
      }, timeoutMs);
      server.close(() => {
        clearTimeout(deadline);
        resolve({ unfinished });
      });
      server.closeIdleConnections();
    });
  }

  return { track, close, inFlight: () => inFlight.size };
}
