// The report's figures as Chart.js configurations. This one file is used twice: the server renders
// the PNGs of the DOCX with it, and the build copies it (transpiled) to public/vendor/figures.js
// for the report page, so the browser's charts and the document's images cannot disagree.
// It must stay self-contained: no imports at run time.

export interface MatrixFigure {
  type: 'matrix';
  points: { label: string; x: number; y: number }[];
  /** Scores at or above it are high; the dashed lines sit half a point below. */
  threshold: number;
  axes: { x: string; y: string };
  /** Bottom-left, top-left, bottom-right, top-right. */
  quadrants: [string, string, string, string];
}

export interface DivergingFigure {
  type: 'diverging';
  categories: string[];
  /** Scale points from the most negative to the most positive, as % of the row's answers. */
  series: { label: string; values: (number | null)[] }[];
  axis: string;
}

export interface BarsFigure {
  type: 'bars';
  categories: string[];
  values: (number | null)[];
  axis: string;
}

export type FigureData = MatrixFigure | DivergingFigure | BarsFigure;

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

/** Height in pixels that fits the figure's categories. */
export function figureHeight(data: FigureData): number {
  if (data.type === 'matrix') return 560;
  return Math.max(260, 90 + data.categories.length * 34);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ChartConfig = { type: string; data: any; options: any; plugins: any[] };

export function figureConfig(data: FigureData, options: FigureOptions): ChartConfig {
  const base = {
    responsive: !options.static,
    maintainAspectRatio: false,
    animation: false as const,
    devicePixelRatio: options.static ? 1 : undefined,
    font: { family: options.font, size: 14 },
    color: INK,
  };
  // The PNG gets a white background (a transparent one turns black in some viewers).
  const background = {
    id: 'background',
    beforeDraw: (chart: { ctx: CanvasRenderingContext2D; width: number; height: number }) => {
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
      const quadrants = {
        id: 'quadrants',
        afterDraw: (chart: {
          ctx: CanvasRenderingContext2D;
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
          ctx.font = `bold 13px ${options.font}`;
          ctx.textAlign = 'left';
          ctx.fillText(data.quadrants[0], area.left + 6, area.bottom - 8);
          ctx.fillText(data.quadrants[1], area.left + 6, area.top + 16);
          ctx.textAlign = 'right';
          ctx.fillText(data.quadrants[2], area.right - 6, area.bottom - 8);
          ctx.fillText(data.quadrants[3], area.right - 6, area.top + 16);
          // Each point named beside it, so the printed matrix needs no legend.
          ctx.font = `12px ${options.font}`;
          ctx.textAlign = 'left';
          ctx.fillStyle = INK;
          const placed = new Map<string, number>();
          for (const point of data.points) {
            const spot = `${point.x},${point.y}`;
            const stacked = placed.get(spot) ?? 0;
            placed.set(spot, stacked + 1);
            ctx.fillText(point.label, chart.scales.x!.getPixelForValue(point.x) + 9, chart.scales.y!.getPixelForValue(point.y) + 4 + stacked * 14);
          }
          ctx.restore();
        },
      };
      return {
        type: 'scatter',
        data: { datasets: [{ data: data.points.map((p) => ({ x: p.x, y: p.y, label: p.label })), backgroundColor: BAR, pointRadius: 6 }] },
        options: {
          ...base,
          layout: { padding: 12 },
          scales: {
            x: { min: 0.5, max: 5.5, title: { display: true, text: data.axes.x, color: INK }, ticks: { color: INK }, afterBuildTicks: wholePoints },
            y: { min: 0.5, max: 5.5, title: { display: true, text: data.axes.y, color: INK }, ticks: { color: INK }, afterBuildTicks: wholePoints },
          },
          plugins: {
            legend: { display: false },
            tooltip: { enabled: !options.static, callbacks: { label: (item: { raw: { label: string; x: number; y: number } }) => `${item.raw.label} (${item.raw.x}, ${item.raw.y})` } },
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
              title: { display: true, text: data.axis, color: INK },
              ticks: { color: INK, callback: (value: number) => `${Math.abs(value)}%` },
            },
            y: { stacked: true, ticks: { color: INK } },
          },
          plugins: {
            legend: {
              position: 'bottom',
              labels: {
                color: INK,
                // The split middle point is one entry; the legend reads from negative to positive.
                filter: (item: { text: string; datasetIndex: number }, chart: { datasets: { label: string }[] }) =>
                  shown.has(item.text) && chart.datasets.findIndex((d) => d.label === item.text) === item.datasetIndex,
                sort: (a: { text: string }, b: { text: string }) => data.series.findIndex((s) => s.label === a.text) - data.series.findIndex((s) => s.label === b.text),
              },
            },
            tooltip: {
              enabled: !options.static,
              callbacks: { label: (item: { dataset: { label: string }; raw: number }) => `${item.dataset.label}: ${Math.abs(item.raw)}%` },
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
            x: { beginAtZero: true, title: { display: true, text: data.axis, color: INK }, ticks: { color: INK } },
            y: { ticks: { color: INK } },
          },
          plugins: { legend: { display: false }, tooltip: { enabled: !options.static } },
        },
        plugins: [background],
      };
  }
}
