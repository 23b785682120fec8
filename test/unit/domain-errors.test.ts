import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { answeringDomainErrors, withDomainErrorsAnswered } from "../../app/http/domain-errors.server";
import { BadRequest, Conflict, NotFound } from "../../app/services/errors";
import type { ServerBuild } from "@remix-run/node";

const statusOf = async (fn: () => unknown) => {
  try {
    await answeringDomainErrors(fn)();
    return "answered";
  } catch (e) {
    return e instanceof Response ? e.status : e;
  }
};

describe("services' domain errors, answered over HTTP in one place", () => {
  it("become 404, 400 and 409; anything else passes through as it was", async () => {
    expect(
      await statusOf(() => {
        throw new NotFound();
      }),
    ).toBe(404);
    expect(
      await statusOf(() => {
        throw new BadRequest();
      }),
    ).toBe(400);
    expect(
      await statusOf(async () => {
        throw new Conflict();
      }),
    ).toBe(409);
    const redirect = new Response(null, { status: 302 });
    expect(
      await statusOf(() => {
        throw redirect;
      }),
    ).toBe(302);
    const bug = new TypeError("a bug");
    expect(
      await statusOf(() => {
        throw bug;
      }),
    ).toBe(bug);
  });

  it("cover every route's loader and action in the build the server serves, and nothing else of it", async () => {
    const loader = () => {
      throw new NotFound();
    };
    const build = { routes: { a: { id: "a", module: { loader, default: "Page" } }, b: { id: "b", module: {} } } } as unknown as ServerBuild;
    const served = withDomainErrorsAnswered(build);
    expect(served.routes.a.module.default).toBe("Page");
    expect(served.routes.b.module.loader).toBeUndefined();
    await expect(Promise.resolve().then(() => served.routes.a.module.loader!({} as never))).rejects.toMatchObject({ status: 404 });
  });

  it("leave no service building an HTTP response", () => {
    const dir = path.join(process.cwd(), "app", "services");
    // Services sit in folders by feature (subsidy, rotations): every file under app/services counts.
    const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    const building = files
      .map((f) => path.relative(dir, path.join(f.parentPath, f.name)))
      .filter((f) => /new Response\(|throw redirect\(|from "@remix-run\/node"/.test(readFileSync(path.join(dir, f), "utf8")));
    expect(files.length).toBeGreaterThan(40);
    expect(building).toEqual([]);
  });
});
