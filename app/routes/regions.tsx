import type { LoaderFunctionArgs } from "@remix-run/node";
import { regions } from "../content/regions.server";
import { suggestRegions } from "../domain/regions";

/** Region suggestions for the region field: public reference data (GB/T 2260), at most 20 per query. */
export async function loader({ request }: LoaderFunctionArgs) {
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 40);
  return { regions: suggestRegions(regions(), q) };
}
