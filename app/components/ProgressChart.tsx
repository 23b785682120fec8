import { useT } from "../i18n/use-t";

/**
 * Cumulative heads by month of completion (solid), heads expected from cohorts still running
 * (dashed, continuing from the last actual month), and the target as a line.
 */
export function ProgressChart({
  window,
  actual,
  projected,
  target,
  currentMonth,
}: {
  currentMonth: string;
  window: { from: string; to: string };
  actual: [string, number][];
  projected: [string, number][];
  target: number | null;
}) {
  const t = useT();
  const months: string[] = [];
  for (
    let y = Number(window.from.slice(0, 4)), m = Number(window.from.slice(5, 7));
    `${y}-${String(m).padStart(2, "0")}` <= window.to.slice(0, 7);
    m === 12 ? ((m = 1), y++) : m++
  ) {
    months.push(`${y}-${String(m).padStart(2, "0")}`);
  }
  const per = new Map(actual);
  const later = new Map(projected);
  let sum = 0;
  const actualPoints = months.map((m) => (sum += per.get(m) ?? 0));
  let lastActualIndex = 0;
  months.forEach((m, i) => {
    if (m <= currentMonth) lastActualIndex = i;
  });
  let projectedSum = actualPoints[lastActualIndex] ?? 0;
  const projectedPoints = months.map((m, i) =>
    i < lastActualIndex ? null : i === lastActualIndex ? projectedSum : (projectedSum += later.get(m) ?? 0),
  );
  const max = Math.max(target ?? 0, ...actualPoints, ...projectedPoints.map((p) => p ?? 0), 1);
  const W = 640;
  const H = 200;
  const pad = 28;
  const x = (i: number) => pad + (i * (W - 2 * pad)) / Math.max(1, months.length - 1);
  const y = (v: number) => H - pad - (v * (H - 2 * pad)) / max;
  const path = (points: (number | null)[]) =>
    points
      .map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`))
      .filter(Boolean)
      .join(" ");
  const now = actualPoints[lastActualIndex] ?? 0;
  // Labels are HTML beneath the drawing, not text inside it: the drawing shrinks to half its size on a
  // phone, and text inside would shrink with it past reading.
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t("subsidy.chart")}>
        <line x1={pad} y1={H - pad} x2={W - pad} y2={H - pad} stroke="#d9dee5" />
        {target ? <line x1={pad} y1={y(target)} x2={W - pad} y2={y(target)} stroke="#b54708" strokeDasharray="2 4" /> : null}
        <polyline
          points={path(projectedPoints.map((p, i) => (i < lastActualIndex ? null : p)))}
          fill="none"
          stroke="#0f6e6e"
          strokeWidth="2"
          strokeDasharray="6 5"
          opacity="0.6"
        />
        <polyline
          points={path(actualPoints.map((p, i) => (i <= lastActualIndex ? p : null)))}
          fill="none"
          stroke="#0f6e6e"
          strokeWidth="2.5"
        />
        <circle cx={x(lastActualIndex)} cy={y(now)} r="4" fill="#0f6e6e" />
      </svg>
      <div className="chart-axis">
        <span>{months[0]}</span>
        <span>{months.at(-1)}</span>
      </div>
      <figcaption className="muted">
        {t("subsidy.chart")}
        {" · "}
        {t("subsidy.chartNow", { month: months[lastActualIndex] ?? "", n: now })}
        {target ? ` · ${t("subsidy.chartTarget", { n: target })}` : ""}
      </figcaption>
    </figure>
  );
}
