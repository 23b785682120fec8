import type { TitledHandle } from "../route-handle";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "../auth/guard.server";
import { addDays, rangesOverlap, weekStart } from "../domain/dates";
import { placementRecord, SIGN_OFF_GRACE_DAYS } from "../domain/rotation";
import { useT } from "../i18n/use-t";
import { today } from "../services/clock.server";
import { effectiveEnd } from "../domain/rotation";
import { placementList } from "../services/rotations/placements.server";
import { signoffsOf } from "../services/rotations/signoffs.server";

export const handle: TitledHandle = { title: "rotation.myTrainees" };

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requirePermission(context, request, "signoff:rotation", { organisationId: params.orgId });
  const now = today();
  const week = { start: weekStart(now), end: addDays(weekStart(now), 6) };
  // What the page can show: this week, to come within a fortnight, or ended within the grace to sign.
  const mine = placementList({
    hospitalId: params.orgId,
    mentorUserId: user.id,
    endingFrom: addDays(now, -SIGN_OFF_GRACE_DAYS - 1),
    startingBy: addDays(now, 14),
  });
  const signoffs = signoffsOf(mine.map((p) => p.id));
  const rows = mine.map((p) => {
    const end = effectiveEnd(p);
    const record = placementRecord(
      p.requiredDays,
      signoffs.filter((s) => s.placementId === p.id),
    );
    const group = rangesOverlap({ start: p.startDate, end }, week)
      ? "thisWeek"
      : end < now && addDays(end, SIGN_OFF_GRACE_DAYS) >= now
        ? "recentlyEnded"
        : p.startDate > now && p.startDate <= addDays(now, 14)
          ? "upcoming"
          : null;
    return {
      id: p.id,
      traineeName: p.traineeName,
      departmentName: p.departmentName,
      baseName: p.baseName,
      startDate: p.startDate,
      end,
      record,
      group,
    };
  });
  return { week, rows: rows.filter((r) => r.group !== null) };
}

export default function MentorHome() {
  const t = useT();
  const { week, rows } = useLoaderData<typeof loader>();
  const groups = ["thisWeek", "recentlyEnded", "upcoming"] as const;
  return (
    <>
      <h1>{t("rotation.myTrainees")}</h1>
      <p className="muted">
        {t("rotation.week")} {week.start} – {week.end}
      </p>
      {rows.length === 0 ? <p className="card muted">{t("rotation.noTrainees")}</p> : null}
      {groups.map((g) => {
        const list = rows.filter((r) => r.group === g);
        if (list.length === 0) return null;
        return (
          <section className="card" key={g} data-testid={`mentor-${g}`}>
            <h2>{t(`rotation.group.${g}`)}</h2>
            <ul className="area-list">
              {list.map((r) => (
                <li key={r.id}>
                  <Link to={`../placements/${r.id}`} relative="path">
                    <strong>{r.traineeName}</strong> · {r.departmentName}
                    <span>
                      {r.baseName} · {r.startDate} – {r.end} ·{" "}
                      {t("rotation.daysAttended", { n: r.record.attendedDays, need: r.record.requiredDays })}
                      {r.record.complete ? ` · ${t("rotation.complete")}` : ""}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </>
  );
}
