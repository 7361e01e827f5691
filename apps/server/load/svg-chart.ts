export interface ChartSeries {
  name: string;
  points: Array<[x: number, y: number]>;
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  /** A horizontal dashed line, e.g. a latency target. */
  threshold?: { label: string; value: number };
}

const WIDTH = 760;
const HEIGHT = 300;
const MARGIN = { top: 36, right: 200, bottom: 44, left: 64 };
const COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4b5563'];

/** 1, 2 or 5 times a power of ten: tick steps a reader can add up at a glance. */
function niceStep(range: number, ticks: number): number {
  const rough = range / ticks;
  const power = 10 ** Math.floor(Math.log10(rough));
  const multiple = [1, 2, 5, 10].find((candidate) => candidate * power >= rough) ?? 10;
  return multiple * power;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 1 : 0);
}

/** A small, dependency-free SVG line chart: axes with round ticks, one polyline per series, a legend. */
export function renderLineChart(chart: LineChart): string {
  const points = chart.series.flatMap((series) => series.points);
  const xMax = Math.max(1, ...points.map(([x]) => x));
  const yMax = Math.max(1e-9, chart.threshold?.value ?? 0, ...points.map(([, y]) => y)) * 1.05;
  const xStep = niceStep(xMax, 6);
  const yStep = niceStep(yMax, 5);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const round = (value: number) => Math.round(value * 10) / 10;
  const x = (value: number) => round(MARGIN.left + (value / xMax) * plotWidth);
  const y = (value: number) => round(MARGIN.top + plotHeight - (value / yMax) * plotHeight);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" font-family="system-ui, sans-serif" font-size="11">`,
    `<title>${escapeXml(chart.title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${MARGIN.left}" y="20" font-size="14" font-weight="600">${escapeXml(chart.title)}</text>`,
  ];
  for (let tick = 0; tick <= yMax; tick += yStep) {
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${y(tick)}" y2="${y(tick)}" stroke="#e5e7eb"/>`,
      `<text x="${MARGIN.left - 6}" y="${y(tick) + 4}" text-anchor="end" fill="#374151">${format(tick)}</text>`,
    );
  }
  for (let tick = 0; tick <= xMax; tick += xStep) {
    parts.push(
      `<text x="${x(tick)}" y="${MARGIN.top + plotHeight + 16}" text-anchor="middle" fill="#374151">${format(tick)}</text>`,
    );
  }
  parts.push(
    `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotHeight}" stroke="#6b7280"/>`,
    `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${MARGIN.top + plotHeight}" y2="${MARGIN.top + plotHeight}" stroke="#6b7280"/>`,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 8}" text-anchor="middle" fill="#374151">${escapeXml(chart.xLabel)}</text>`,
    `<text transform="translate(16 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle" fill="#374151">${escapeXml(chart.yLabel)}</text>`,
  );
  if (chart.threshold) {
    const level = y(chart.threshold.value);
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${level}" y2="${level}" stroke="#111827" stroke-dasharray="5 4"/>`,
      `<text x="${MARGIN.left + plotWidth + 8}" y="${level + 4}" fill="#111827">${escapeXml(chart.threshold.label)}</text>`,
    );
  }
  chart.series.forEach((series, index) => {
    const colour = COLOURS[index % COLOURS.length];
    const path = series.points.map(([px, py]) => `${x(px)},${y(py)}`).join(' ');
    const legendY = MARGIN.top + 8 + index * 16;
    parts.push(
      `<polyline points="${path}" fill="none" stroke="${colour}" stroke-width="1.5" stroke-linejoin="round"/>`,
      `<line x1="${MARGIN.left + plotWidth + 8}" x2="${MARGIN.left + plotWidth + 24}" y1="${legendY + 16}" y2="${legendY + 16}" stroke="${colour}" stroke-width="2"/>`,
      `<text x="${MARGIN.left + plotWidth + 28}" y="${legendY + 20}" fill="#111827">${escapeXml(series.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
