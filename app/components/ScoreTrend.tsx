import { useT } from "../i18n/use-t";

/**
 * A base's assessment scores over half years as a small line chart: each half year a dot (filled
 * when passed, hollow when failed), with the pass mark as a dashed line.
 */
export function ScoreTrend({ series, passMark }: { series: { period: string; score: number; passed: boolean }[]; passMark: number }) {
  const t = useT();
  if (series.length === 0) return <span className="muted">{t("assessment.none")}</span>;
  const W = 160;
  const H = 44;
  const pad = 6;
  const x = (i: number) => (series.length === 1 ? W / 2 : pad + (i * (W - 2 * pad)) / (series.length - 1));
  const y = (score: number) => H - pad - (score * (H - 2 * pad)) / 100;
  const label = series.map((s) => `${s.period} ${s.score}`).join("，");
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      width={W}
      height={H}
      role="img"
      aria-label={t("assessment.trendLabel", { scores: label })}
      className="score-trend"
    >
      <line x1={pad} x2={W - pad} y1={y(passMark)} y2={y(passMark)} stroke="#b54708" strokeDasharray="2 3" />
      <polyline
        points={series.map((s, i) => `${x(i).toFixed(1)},${y(s.score).toFixed(1)}`).join(" ")}
        fill="none"
        stroke="#0f6e6e"
        strokeWidth="2"
      />
      {series.map((s, i) => (
        <circle
          key={s.period}
          cx={x(i)}
          cy={y(s.score)}
          r="3.5"
          fill={s.passed ? "#0f6e6e" : "#fff"}
          stroke={s.passed ? "#0f6e6e" : "#b42318"}
          strokeWidth="2"
        >
          <title>{`${s.period} ${s.score}`}</title>
        </circle>
      ))}
    </svg>
  );
}
