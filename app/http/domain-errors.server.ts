import type { ServerBuild } from "@remix-run/node";
import { isDomainError } from "../services/errors";

const STATUS_TEXT: Record<number, string> = { 400: "Bad Request", 404: "Not Found", 409: "Conflict" };

/** A route handler whose domain errors (a record not there, a request no form sends) are answered with their HTTP status. */
export function answeringDomainErrors<A extends unknown[], R>(handler: (...args: A) => R | Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A): Promise<R> => {
    try {
      return await handler(...args);
    } catch (e) {
      if (isDomainError(e)) throw new Response(STATUS_TEXT[e.status], { status: e.status });
      throw e;
    }
  };
}

/** Every route's loader and action, answering domain errors over HTTP: the one place services meet HTTP. */
export function withDomainErrorsAnswered(build: ServerBuild): ServerBuild {
  const routes = Object.fromEntries(
    Object.entries(build.routes).map(([id, route]) => {
      const { loader, action } = route.module;
      const module = {
        ...route.module,
        ...(loader ? { loader: answeringDomainErrors(loader) } : {}),
        ...(action ? { action: answeringDomainErrors(action) } : {}),
      };
      return [id, { ...route, module }];
    }),
  );
  return { ...build, routes };
}
