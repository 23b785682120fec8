import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { endSession } from "../auth/lucia.server";

export async function action({ context }: ActionFunctionArgs) {
  if (!context.sessionId) throw redirect("/login");
  const cookie = await endSession(context.sessionId);
  throw redirect("/login", { headers: { "Set-Cookie": cookie } });
}

export async function loader() {
  throw redirect("/home");
}
