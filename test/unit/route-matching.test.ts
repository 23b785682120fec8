import { afterEach, describe, expect, it, vi } from "vitest";
import { createStaticHandler, matchPath, matchRoutes, type AgnosticRouteObject, type StaticHandlerContext } from "@remix-run/router";
import { createStaticRouter } from "react-router-dom/server";

/*
 * The server matches every request's URL against the whole route table, two or three times a
 * request. patches/@remix-run+router keeps the ranked table and each compiled path pattern
 * instead of rebuilding them per call; these tests hold it to the same answers.
 */
const routes: AgnosticRouteObject[] = [
  {
    id: "root",
    path: "",
    children: [
      { id: "routes/_index", index: true },
      { id: "routes/login", path: "login" },
      {
        id: "routes/base",
        path: "base",
        children: [
          { id: "routes/base._index", index: true },
          { id: "routes/base.cohorts.$cohortId", path: "cohorts/:cohortId" },
          { id: "routes/base.cohorts.$cohortId.attendance", path: "cohorts/:cohortId/attendance" },
          { id: "routes/base.cohorts.new", path: "cohorts/new" },
        ],
      },
      { id: "routes/v.$serial", path: "v/:serial" },
      { id: "routes/$", path: "*" },
    ],
  },
];

const leaf = (pathname: string) => matchRoutes(routes, pathname)?.at(-1);

afterEach(() => vi.restoreAllMocks());

describe("matching a URL to its route", () => {
  it("ranks static segments above parameters, and indexes under their layout", () => {
    expect(leaf("/base/cohorts/new")?.route.id).toBe("routes/base.cohorts.new");
    expect(leaf("/base/cohorts/42")?.params).toEqual({ cohortId: "42" });
    expect(leaf("/base/cohorts/42/attendance")?.route.id).toBe("routes/base.cohorts.$cohortId.attendance");
    expect(leaf("/base")?.route.id).toBe("routes/base._index");
    expect(leaf("/")?.route.id).toBe("routes/_index");
  });

  it("gives each call its own parameters, decoded, even when the pattern was seen before", () => {
    expect(leaf("/v/ZJ-2026-000001")?.params.serial).toBe("ZJ-2026-000001");
    expect(leaf("/v/%E6%B5%99")?.params.serial).toBe("浙");
    expect(leaf("/v/ZJ-2026-000001")?.params.serial).toBe("ZJ-2026-000001");
    expect(matchPath("/v/:serial", "/v/a")?.params).toEqual({ serial: "a" });
    expect(matchPath({ path: "/v/:serial", end: false }, "/v/a/b")?.pathname).toBe("/v/a");
    expect(matchPath("/v/:serial", "/v/a/b")).toBeNull();
  });

  it("falls through to the catch-all for an unknown path", () => {
    expect(leaf("/nowhere/at/all")?.route.id).toBe("routes/$");
    expect(leaf("/nowhere/at/all")?.params["*"]).toBe("nowhere/at/all");
  });

  it("ranks a route table once, not on every request", () => {
    const table: AgnosticRouteObject[] = [
      { id: "a", path: "a" },
      { id: "b", path: ":b" },
    ];
    matchRoutes(table, "/a");
    const sort = vi.spyOn(Array.prototype, "sort");
    expect(matchRoutes(table, "/x")?.[0].params).toEqual({ b: "x" });
    expect(matchRoutes(table, "/a")?.[0].route.id).toBe("a");
    expect(sort).not.toHaveBeenCalled();
  });

  it("renders every page over the same route objects, so the ranked table is found again", async () => {
    // patches/react-router-dom: the page renderer converts a routes array once, not per request.
    const table = [
      { id: "a", path: "a" },
      { id: "b", path: ":b" },
    ];
    const handler = createStaticHandler(table);
    const context = (await handler.query(new Request("http://localhost/a"))) as StaticHandlerContext;
    const first = createStaticRouter(table, context);
    const second = createStaticRouter(table, context);
    expect(second.routes).toBe(first.routes);
    expect(second.state.matches.at(-1)?.route.id).toBe("a");
  });
});
