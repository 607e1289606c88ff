/**
 * Inline SVG charts for the last hour (GET /pipelines/{name}/history): a sparkline for the
 * overview and a labelled column chart for the pipeline page. No chart library: the data is
 * 60 numbers. Each chart carries a text summary for screen readers.
 */
export interface Series {
  label: string;
  values: number[];
  /** Colour: 0 accent, 1 warning, 2 danger, 3 ok (default: the series' position). */
  tone?: 0 | 1 | 2 | 3;
}

const tone = (s: Series, k: number): string => `c${s.tone ?? k % 4}`;

const sum = (xs: number[]): number => xs.reduce((n, x) => n + x, 0);

export function Sparkline({ values, label }: { values: number[]; label: string }) {
  const w = 120;
  const h = 24;
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? w / (values.length - 1) : w;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(h - 2 - (v / max) * (h - 4)).toFixed(1)}`);
  return (
    <svg
      class="sparkline"
      width={w}
      height={h}
      viewBox={`0 0 ${w} ${h}`}
      role="img"
      aria-label={`${label}: ${sum(values)} in the last hour, at most ${Math.max(0, ...values)} a minute`}
    >
      <polyline points={points.join(' ')} fill="none" stroke="currentColor" stroke-width="1.5" />
    </svg>
  );
}

/** Columns per minute, one colour per series (stacked), with the hour's total per series in the legend. */
export function MinuteChart({ title, series, id }: { title: string; series: Series[]; id: string }) {
  const w = 600;
  const h = 120;
  const n = Math.max(0, ...series.map((s) => s.values.length));
  const totals = Array.from({ length: n }, (_, i) => sum(series.map((s) => s.values[i] ?? 0)));
  const max = Math.max(1, ...totals);
  const bw = w / Math.max(1, n);
  const summary = series.map((s) => `${s.label} ${sum(s.values)}`).join(', ');
  return (
    <figure class="chart" data-chart={id}>
      <figcaption>
        {title}{' '}
        <span class="legend">
          {series.map((s, k) => (
            <LegendItem key={s.label} s={s} k={k} />
          ))}
        </span>
      </figcaption>
      <svg
        width={w}
        height={h + 14}
        viewBox={`0 0 ${w} ${h + 14}`}
        role="img"
        aria-label={`${title}, last 60 minutes: ${summary}`}
      >
        <line x1="0" y1={h} x2={w} y2={h} class="axis" />
        {Array.from({ length: n }, (_, i) => {
          let y = h;
          return series.map((s, k) => {
            const v = s.values[i] ?? 0;
            if (!v) return null;
            const bh = (v / max) * (h - 4);
            y -= bh;
            return (
              <rect key={`${i}-${k}`} class={tone(s, k)} x={i * bw + 1} y={y} width={Math.max(1, bw - 2)} height={bh} />
            );
          });
        })}
        <text x="0" y={h + 12} class="tick">
          −60 min
        </text>
        <text x={w} y={h + 12} class="tick" text-anchor="end">
          now (max {max}/min)
        </text>
      </svg>
    </figure>
  );
}

function LegendItem({ s, k }: { s: Series; k: number }) {
  return (
    <span class="legend-item" data-series={s.label}>
      <span class={`swatch ${tone(s, k)}`} aria-hidden="true" /> {s.label} <strong>{sum(s.values)}</strong>
    </span>
  );
}
