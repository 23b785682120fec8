import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { db } from "../../db/client.server";
import { endSession } from "../auth/lucia.server";
import { recordAudit } from "../services/audit.server";

export async function action({ context }: ActionFunctionArgs) {
  if (!context.sessionId) throw redirect("/login");
  const cookie = await endSession(context.sessionId, { secure: context.secure });
  if (context.user)
    recordAudit(db(), {
      actorUserId: context.user.id,
      action: "auth.sign-out",
      entityType: "user",
      entityId: context.user.id,
      details: { address: context.clientAddress },
    });
  throw redirect("/login", { headers: { "Set-Cookie": cookie } });
}

export async function loader() {
  throw redirect("/home");
}
