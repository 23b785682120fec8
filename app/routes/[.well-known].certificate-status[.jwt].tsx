import { signedStatusList } from "../services/status-list.server";

/** The signed list of certificates no longer in force; the offline check takes it with --status. */
export async function loader() {
  return new Response(await signedStatusList(), {
    headers: { "Content-Type": "application/jwt; charset=utf-8", "Cache-Control": "public, max-age=300" },
  });
}
