// The figures as PNG, drawn on the server by Chart.js on @napi-rs/canvas from the same
// configuration the report page uses. The font is bundled (DejaVu Sans, from npm) so the images
// look the same on every machine and Turkish letters always have glyphs.
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { Chart, registerables } from 'chart.js';
import { figureConfig, figureHeight, type FigureData } from './figure-config';

export const FIGURE_FONT = 'DejaVu Sans';
export const FIGURE_WIDTH = 1200;

let ready = false;
function prepare(): void {
  if (ready) return;
  Chart.register(...registerables);
  GlobalFonts.registerFromPath(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'), FIGURE_FONT);
  GlobalFonts.registerFromPath(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'), FIGURE_FONT);
  ready = true;
}

export interface RenderedFigure {
  png: Buffer;
  width: number;
  height: number;
}

export function renderFigure(data: FigureData, width = FIGURE_WIDTH): RenderedFigure {
  prepare();
  const height = figureHeight(data);
  const canvas = createCanvas(width, height);
  // Chart.js only needs a 2D context and a size: the canvas stands in for a browser's (its
  // parameter type names the DOM's canvas, which the server's types do not include).
  const chart = new Chart(canvas as unknown as ConstructorParameters<typeof Chart>[0], figureConfig(data, { static: true, font: FIGURE_FONT }) as never);
  try {
    return { png: canvas.toBuffer('image/png'), width, height };
  } finally {
    chart.destroy();
  }
}
