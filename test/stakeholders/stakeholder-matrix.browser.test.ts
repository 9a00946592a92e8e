/// <reference lib="dom" />
// The register's F1 in chromium: drawn by the report's figure configuration, one marker per
// spot (stakeholders with the same scores share it), and no WCAG 2.1 A/AA violations.
import { stakeholderService } from '../../server/stakeholders';
import { axeViolations, browserSuite, logInPage } from '../helpers/browser';

const suite = browserSuite();

it('draws the etki/önem matrix with every stakeholder numbered, shared spots as one marker', async () => {
  const actor = { userId: null, email: 'test', ip: null };
  const scores = [['Yeşilvadi Üniversitesi', 5, 4], ['Mimarlar Odası', 4, 2], ['Çevre Derneği', 4, 2], ['Esnaf Odası', 4, 2], ['Muhtarlık', 1, 1]] as const;
  for (const [name, importance, influence] of scores) {
    await stakeholderService.create(
      suite.t.db,
      { name, group: 'stk', scope: 'external', type: null, emails: [], contactPerson: null, areas: [], reason: null, importance, influence, language: 'tr' },
      actor,
      suite.t.clock.now,
    );
  }
  const context = await suite.browser.newContext({ locale: 'tr-TR', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await logInPage(suite, page);
  await page.goto(`${suite.url}/admin/stakeholders/analysis`);
  await page.waitForFunction(() => document.querySelectorAll('figure[data-figure] canvas').length === 1);
  const chart = await page.evaluate(() => {
    const canvas = document.querySelector('figure[data-figure] canvas') as HTMLCanvasElement;
    const instance = (window as unknown as { Chart: { getChart: (c: HTMLCanvasElement) => { data: { datasets: { data: { x: number; y: number; names: string[] }[] }[] } } } }).Chart.getChart(canvas);
    return { width: canvas.width, markers: instance.data.datasets[0]!.data.map((m) => [m.x, m.y, m.names.length]) };
  });
  expect(chart.width).toBeGreaterThan(0);
  // Etki on x, önem on y; the three chambers at (2, 4) are one marker.
  expect(chart.markers).toEqual([[4, 5, 1], [2, 4, 3], [1, 1, 1]]);
  expect(await axeViolations(page)).toEqual([]);
  await context.close();
});
