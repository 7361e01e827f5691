import type { SizeBin } from './api.ts';
import { formatNumber } from './dom.ts';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 480;
const HEIGHT = 180;
const MARGIN = { top: 12, right: 8, bottom: 36, left: 40 };

function svg<Tag extends keyof SVGElementTagNameMap>(
  tag: Tag,
  attributes: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[Tag] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** A bar chart of chunk sizes (chars) as inline SVG; each bar has a tooltip with its range and count. */
export function sizeChart(bins: readonly SizeBin[], caption: string): SVGSVGElement {
  const tallest = Math.max(1, ...bins.map((bin) => bin.count));
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const barWidth = plotWidth / Math.max(1, bins.length);
  const chart = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: 'img',
    'aria-label': caption,
    class: 'size-chart',
  });
  chart.append(svg('title', {}, caption));
  const baseline = MARGIN.top + plotHeight;
  chart.append(
    svg('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: baseline, y2: baseline, class: 'axis' }),
  );
  chart.append(
    svg('text', { x: MARGIN.left - 6, y: MARGIN.top + 10, 'text-anchor': 'end' }, String(tallest)),
  );
  chart.append(svg('text', { x: MARGIN.left - 6, y: baseline, 'text-anchor': 'end' }, '0'));
  bins.forEach((bin, i) => {
    const height = (bin.count / tallest) * plotHeight;
    const bar = svg('rect', {
      x: MARGIN.left + i * barWidth + 1,
      y: baseline - height,
      width: Math.max(1, barWidth - 2),
      height,
      class: 'bar',
    });
    bar.append(
      svg('title', {}, `${formatNumber(bin.from)}–${formatNumber(bin.to)} chars: ${bin.count} chunks`),
    );
    chart.append(bar);
  });
  const first = bins[0];
  const last = bins.at(-1);
  if (first && last) {
    chart.append(svg('text', { x: MARGIN.left, y: baseline + 16 }, formatNumber(first.from)));
    chart.append(
      svg('text', { x: WIDTH - MARGIN.right, y: baseline + 16, 'text-anchor': 'end' }, formatNumber(last.to)),
    );
  }
  chart.append(
    svg(
      'text',
      { x: MARGIN.left + plotWidth / 2, y: HEIGHT - 4, 'text-anchor': 'middle' },
      'chunk size (chars)',
    ),
  );
  return chart;
}
