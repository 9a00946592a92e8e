// The report's figures as Chart.js configurations. This one file is used twice: the server renders
// the PNGs of the DOCX with it, and the build copies it (transpiled) to public/vendor/figures.js
// for the report page, so the browser's charts and the document's images cannot disagree.
// It must stay self-contained: no imports at run time.

interface FigureBase {
  /** The report's language as a BCP 47 locale ("tr-TR"): numbers on axes and in tooltips follow it, not the reader's. */
  locale?: string;
}

export interface MatrixFigure extends FigureBase {
  type: 'matrix';
  /** tag: the short mark printed beside the point (its row number in the table). */
  points: { label: string; tag: string; x: number; y: number }[];
  /** Scores at or above it are high; the dashed lines sit half a point below. */
  threshold: number;
  axes: { x: string; y: string };
  /** Bottom-left, top-left, bottom-right, top-right. */
  quadrants: [string, string, string, string];
}

export interface DivergingFigure extends FigureBase {
  type: 'diverging';
  categories: string[];
  /** Scale points from the most negative to the most positive, as % of the row's answers. */
  series: { label: string; values: (number | null)[] }[];
  axis: string;
}

export interface BarsFigure extends FigureBase {
  type: 'bars';
  categories: string[];
  values: (number | null)[];
  axis: string;
}

export type FigureData = MatrixFigure | DivergingFigure | BarsFigure;

/**
 * The few drawing calls the plugins below make. Both a browser's canvas context and
 * @napi-rs/canvas's have them; naming only these keeps the server free of the DOM's global types.
 */
export interface FigureDrawing {
  fillStyle: string;
  strokeStyle: string;
  font: string;
  textAlign: 'left' | 'right' | 'center' | 'start' | 'end';
  save(): void;
  restore(): void;
  fillRect(x: number, y: number, width: number, height: number): void;
  setLineDash(segments: number[]): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  stroke(): void;
  fillText(text: string, x: number, y: number): void;
}

export interface FigureOptions {
  /** The server draws on a fixed canvas in one go. */
  static: boolean;
  font: string;
}

/** Red to blue, diverging, readable for the common colour-vision deficiencies. */
const DIVERGING = ['#b2182b', '#ef8a62', '#bdbdbd', '#67a9cf', '#2166ac'];
const BAR = '#2166ac';
const INK = '#222222';

function divergingColours(count: number): string[] {
  if (count === DIVERGING.length) return DIVERGING;
  const colours: string[] = [];
  for (let i = 0; i < count; i++) colours.push(DIVERGING[Math.round((i * (DIVERGING.length - 1)) / Math.max(1, count - 1))]!);
  return colours;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** The scores 1–5 as ticks, between the half-point edges of the matrix. */
const wholePoints = (axis: { ticks: { value: number }[] }) => {
  axis.ticks = [1, 2, 3, 4, 5].map((value) => ({ value }));
};

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/** Height in pixels that fits the figure's categories. */
export function figureHeight(data: FigureData): number {
  if (data.type === 'matrix') return 760;
  return Math.max(320, 150 + data.categories.length * 44);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ChartConfig = { type: string; data: any; options: any; plugins: any[] };

export function figureConfig(data: FigureData, options: FigureOptions): ChartConfig {
  // A PNG is shrunk to the page's width (about 16 cm for 1200 px): its text is drawn larger.
  const scale = options.static ? 1.6 : 1;
  // Set on every text: Chart.js takes no chart-wide font from a configuration.
  const font = { family: options.font, size: Math.round(14 * scale) };
  // Turkish numbers are 1.200 and %47,4: Chart.js formats with its locale option, and the
  // callbacks here with the same locale (Intl is there in Node as in the browser).
  const locale = data.locale ?? 'tr-TR';
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const percentOf = (value: number) => percent.format(Math.abs(value) / 100);
  const base = {
    locale,
    responsive: !options.static,
    maintainAspectRatio: false,
    animation: false as const,
    devicePixelRatio: options.static ? 1 : undefined,
    color: INK,
  };
  // The PNG gets a white background (a transparent one turns black in some viewers).
  const background = {
    id: 'background',
    beforeDraw: (chart: { ctx: FigureDrawing; width: number; height: number }) => {
      if (!options.static) return;
      chart.ctx.save();
      chart.ctx.fillStyle = '#ffffff';
      chart.ctx.fillRect(0, 0, chart.width, chart.height);
      chart.ctx.restore();
    },
  };

  switch (data.type) {
    case 'matrix': {
      const cut = data.threshold - 0.5;
      // Scores are whole numbers, so stakeholders often share a spot: they are one marker, a little
      // larger, labelled with all their numbers ("3, 7, 12"), so every stakeholder can be found.
      const spots = new Map<string, { x: number; y: number; points: MatrixFigure['points'] }>();
      for (const p of data.points) {
        const spot = spots.get(`${p.x},${p.y}`) ?? { x: p.x, y: p.y, points: [] };
        spot.points.push(p);
        spots.set(`${p.x},${p.y}`, spot);
      }
      const placed = [...spots.values()].map((spot) => ({
        x: spot.x,
        y: spot.y,
        // At most five numbers a line, so a crowded spot's label stays inside its cell.
        lines: chunks(spot.points.map((p) => p.tag), 5).map((tags) => tags.join(', ')),
        names: spot.points.map((p) => `${p.tag}. ${p.label}`),
        radius: Math.min(6 + 2 * (spot.points.length - 1), 12) * scale,
      }));
      const quadrants = {
        id: 'quadrants',
        afterDraw: (chart: {
          ctx: FigureDrawing;
          chartArea: { left: number; right: number; top: number; bottom: number };
          scales: Record<string, { getPixelForValue: (value: number) => number }>;
        }) => {
          const { ctx, chartArea: area } = chart;
          const x = chart.scales.x!.getPixelForValue(cut);
          const y = chart.scales.y!.getPixelForValue(cut);
          ctx.save();
          ctx.strokeStyle = '#555555';
          ctx.setLineDash([6, 4]);
          ctx.beginPath();
          ctx.moveTo(x, area.top);
          ctx.lineTo(x, area.bottom);
          ctx.moveTo(area.left, y);
          ctx.lineTo(area.right, y);
          ctx.stroke();
          ctx.fillStyle = '#444444';
          ctx.font = `bold ${Math.round(13 * scale)}px ${options.font}`;
          ctx.textAlign = 'left';
          ctx.fillText(data.quadrants[0], area.left + 6, area.bottom - 8);
          ctx.fillText(data.quadrants[1], area.left + 6, area.top + 16 * scale);
          ctx.textAlign = 'right';
          ctx.fillText(data.quadrants[2], area.right - 6, area.bottom - 8);
          ctx.fillText(data.quadrants[3], area.right - 6, area.top + 16 * scale);
          // Each point carries its row number beside it; names would overlap where scores coincide.
          ctx.font = `bold ${Math.round(12 * scale)}px ${options.font}`;
          ctx.textAlign = 'left';
          ctx.fillStyle = INK;
          const lineHeight = 14 * scale;
          placed.forEach((spot) => {
            // Right of the marker, or left of it on the right edge, where the label would leave the chart.
            const right = spot.x >= 5;
            ctx.textAlign = right ? 'right' : 'left';
            const x = chart.scales.x!.getPixelForValue(spot.x) + (right ? -1 : 1) * (spot.radius + 4 * scale);
            const top = chart.scales.y!.getPixelForValue(spot.y) + 4 * scale - ((spot.lines.length - 1) * lineHeight) / 2;
            spot.lines.forEach((line, i) => ctx.fillText(line, x, top + i * lineHeight));
          });
          ctx.restore();
        },
      };
      return {
        type: 'scatter',
        data: { datasets: [{ data: placed.map((p) => ({ x: p.x, y: p.y, names: p.names })), backgroundColor: BAR, pointRadius: placed.map((p) => p.radius) }] },
        options: {
          ...base,
          layout: { padding: 12 },
          scales: {
            x: { min: 0.5, max: 5.5, title: { display: true, text: data.axes.x, color: INK, font }, ticks: { color: INK, font }, afterBuildTicks: wholePoints },
            y: { min: 0.5, max: 5.5, title: { display: true, text: data.axes.y, color: INK, font }, ticks: { color: INK, font }, afterBuildTicks: wholePoints },
          },
          plugins: {
            legend: { display: false },
            tooltip: { enabled: !options.static, callbacks: { label: (item: { raw: { names: string[]; x: number; y: number } }) => item.raw.names.map((name) => `${name} (${item.raw.x}, ${item.raw.y})`) } },
          },
        },
        plugins: [background, quadrants],
      };
    }
    case 'diverging': {
      // Negative points to the left of zero, positive to the right, the middle point split across.
      const count = data.series.length;
      const colours = divergingColours(count);
      const middle = count % 2 === 1 ? (count - 1) / 2 : -1;
      const datasets: { label: string; data: (number | null)[]; backgroundColor: string; stack: string; legend: boolean }[] = [];
      data.series.forEach((series, i) => {
        const sign = i < count / 2 - (middle >= 0 ? 0.5 : 0) ? -1 : 1;
        if (i === middle) {
          datasets.push({ label: series.label, data: series.values.map((v) => (v === null ? null : -round1(v / 2))), backgroundColor: colours[i]!, stack: 's', legend: true });
          datasets.push({ label: series.label, data: series.values.map((v) => (v === null ? null : round1(v / 2))), backgroundColor: colours[i]!, stack: 's', legend: false });
        } else {
          datasets.push({ label: series.label, data: series.values.map((v) => (v === null ? null : sign * v)), backgroundColor: colours[i]!, stack: 's', legend: true });
        }
      });
      // Negative bars are drawn from zero outwards: the points nearest the middle go first.
      const left = datasets.filter((d) => (d.data.find((v) => v !== null) ?? 0) < 0).reverse();
      const right = datasets.filter((d) => !left.includes(d));
      const ordered = [...left, ...right];
      const shown = new Set(ordered.filter((d) => d.legend).map((d) => d.label));
      return {
        type: 'bar',
        data: { labels: data.categories, datasets: ordered.map(({ legend: _legend, ...d }) => d) },
        options: {
          ...base,
          indexAxis: 'y',
          scales: {
            x: {
              stacked: true,
              min: -100,
              max: 100,
              title: { display: true, text: data.axis, color: INK, font },
              ticks: { color: INK, font, callback: (value: number) => percentOf(value) },
            },
            y: { stacked: true, ticks: { color: INK, font } },
          },
          plugins: {
            legend: {
              position: 'bottom',
              labels: {
                color: INK,
                font,
                // The split middle point is one entry; the legend reads from negative to positive.
                filter: (item: { text: string; datasetIndex: number }, chart: { datasets: { label: string }[] }) =>
                  shown.has(item.text) && chart.datasets.findIndex((d) => d.label === item.text) === item.datasetIndex,
                sort: (a: { text: string }, b: { text: string }) => data.series.findIndex((s) => s.label === a.text) - data.series.findIndex((s) => s.label === b.text),
              },
            },
            tooltip: {
              enabled: !options.static,
              callbacks: { label: (item: { dataset: { label: string }; raw: number }) => `${item.dataset.label}: ${percentOf(item.raw)}` },
            },
          },
        },
        plugins: [background],
      };
    }
    case 'bars':
      return {
        type: 'bar',
        data: { labels: data.categories, datasets: [{ label: data.axis, data: data.values, backgroundColor: BAR }] },
        options: {
          ...base,
          indexAxis: 'y',
          scales: {
            x: { beginAtZero: true, title: { display: true, text: data.axis, color: INK, font }, ticks: { color: INK, font, callback: (value: number) => number.format(value) } },
            y: { ticks: { color: INK, font } },
          },
          plugins: {
            legend: { display: false },
            tooltip: { enabled: !options.static, callbacks: { label: (item: { raw: number | null }) => (item.raw === null ? '' : number.format(item.raw)) } },
          },
        },
        plugins: [background],
      };
  }
}
