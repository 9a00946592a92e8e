/// <reference lib="dom" />
// A 20-statement five-point matrix on a 360 px phone (issue 18 §4): compact enough to scroll
// through (under 3,000 px: 2,262 px, where one full-width button per point made it 6,573 px), each
// point still a 44 px target named by its scale label, and every page check passing, with the
// site's script and without it.
import path from 'node:path';
import { projectRoot } from '../../server/platform/paths';
import { browserSuite } from '../helpers/browser';
import { auditPage, MIN_TARGET, phoneContext } from '../helpers/page-audit';

jest.setTimeout(120_000);

const SLUG = 'uzun-matris';
const suite = browserSuite({ surveysDir: path.join(projectRoot, 'test', 'fixtures', 'long-matrix') });

/** The height the issue allows a 20-row five-point matrix at 360 px. */
const MAX_HEIGHT = 3_000;

describe.each([true, 'blocked'] as const)('a 20-row matrix on a 360 px phone (JavaScript %s)', (javaScript) => {
  it('stays under 3,000 px, with 44 px points named by their labels, and passes every page check', async () => {
    const survey = suite.t.catalog.find(SLUG)!;
    const matrix = survey.sections[0]!.questions[0]!;
    expect(matrix.kind === 'likert_matrix' && [matrix.rows.length, matrix.scale.length]).toEqual([20, 5]);
    const context = await phoneContext(suite.browser, { lang: 'tr', javaScript });
    const page = await context.newPage();
    await page.goto(`${suite.url}/anket/${SLUG}/1`);

    const height = await page.locator('#q-degerlendirme').evaluate((el) => el.getBoundingClientRect().height);
    expect(height).toBeLessThan(MAX_HEIGHT);

    const points = page.locator('#q-degerlendirme input[type=radio]');
    expect(await points.count()).toBe(100);
    const boxes = await points.evaluateAll((inputs) =>
      (inputs as HTMLInputElement[]).map((input) => {
        const box = input.labels![0]!.getBoundingClientRect();
        return { width: box.width, height: box.height, top: box.top };
      }),
    );
    for (const box of boxes) {
      expect(box.width).toBeGreaterThanOrEqual(MIN_TARGET - 0.5);
      expect(box.height).toBeGreaterThanOrEqual(MIN_TARGET - 0.5);
    }
    // Each statement's five points on one line.
    for (let row = 0; row < 20; row++) {
      const tops = boxes.slice(row * 5, row * 5 + 5).map((box) => Math.round(box.top));
      expect(new Set(tops).size).toBe(1);
    }

    // The points are named by their scale labels for a screen reader, though only the ends show.
    expect(await page.getByRole('radio', { name: 'Hiç katılmıyorum', exact: true }).count()).toBe(20);
    expect(await page.getByRole('radio', { name: 'Kararsızım', exact: true }).count()).toBe(20);
    const firstRow = page.getByRole('group', { name: 'Çöp toplama düzenli ve zamanında yapılıyor' });
    const shown = async (text: string) => (await firstRow.getByText(text, { exact: true }).evaluateAll((els) => els.some((el) => el.getBoundingClientRect().width > 1)));
    expect([await shown('Hiç katılmıyorum'), await shown('Tamamen katılıyorum'), await shown('Kararsızım')]).toEqual([true, true, false]);
    // Before any tap: a tap keeps later focus from showing as keyboard focus, which the audit checks.
    expect(await auditPage(page, `long-matrix-${javaScript}`, { lang: 'tr' })).toEqual([]);
    // The chosen point shows its label.
    await firstRow.getByRole('radio', { name: 'Kararsızım', exact: true }).check();
    expect(await shown('Kararsızım')).toBe(true);

    await context.close();
  });
});

// The same 20 statements under two headings ("KURUMSAL", "YÖNETSEL"), on a four-point scale with every
// label shown and "Bilgim yok" first (issue 18 §3.1–3.3), in both languages: 2,718 px in Turkish.
const GROUPED = 'gruplu-matris';

describe.each([
  ['tr', true],
  ['tr', 'blocked'],
  ['en', true],
] as const)('a 20-row grouped matrix, every label shown and "Bilgim yok" first, on a 360 px phone (%s, JavaScript %s)', (lang, javaScript) => {
  it('stays under 3,000 px with its headings, shows every label on one line under its 44 px point, and passes every page check', async () => {
    const survey = suite.t.catalog.find(GROUPED)!;
    const matrix = survey.sections[0]!.questions[0]!;
    expect(matrix.kind === 'likert_matrix' && [matrix.rows.length, matrix.scale.length, matrix.labels, matrix.notApplicablePosition]).toEqual([20, 4, 'every', 'first']);
    const words = lang === 'tr'
      ? { na: 'Bilgim yok', points: ['Zayıf', 'Orta', 'İyi', 'Çok iyi'], groups: ['KURUMSAL', 'YÖNETSEL'] }
      : { na: "Don't know", points: ['Poor', 'Fair', 'Good', 'Very good'], groups: ['INSTITUTIONAL', 'MANAGEMENT'] };
    const context = await phoneContext(suite.browser, { lang, javaScript });
    const page = await context.newPage();
    await page.goto(`${suite.url}/anket/${GROUPED}/1?lang=${lang}`);

    const height = await page.locator('#q-degerlendirme').evaluate((el) => el.getBoundingClientRect().height);
    expect(height).toBeLessThan(MAX_HEIGHT);

    // Two headings, each naming a group of ten statements.
    for (const heading of words.groups) {
      await expect(page.getByRole('heading', { level: 3, name: heading }).isVisible()).resolves.toBe(true);
      expect(await page.getByRole('group', { name: heading, exact: true }).locator('fieldset.row').count()).toBe(10);
    }

    const points = page.locator('#q-degerlendirme input[type=radio]');
    expect(await points.count()).toBe(100);
    const boxes = await points.evaluateAll((inputs) =>
      (inputs as HTMLInputElement[]).map((input) => {
        const box = input.labels![0]!.getBoundingClientRect();
        const text = input.labels![0]!.querySelector('.pt')!.getBoundingClientRect();
        return { value: input.value, width: box.width, height: box.height, top: box.top, textHeight: text.height, textWidth: text.width, textRight: text.right, right: box.right };
      }),
    );
    for (const box of boxes) {
      expect(box.width).toBeGreaterThanOrEqual(MIN_TARGET - 0.5);
      expect(box.height).toBeGreaterThanOrEqual(MIN_TARGET - 0.5);
      // Every label shows, on one line (0.8rem text, 1.1rem line), inside its point.
      expect(box.textWidth).toBeGreaterThan(1);
      expect(box.textHeight).toBeLessThan(19);
      expect(box.textRight).toBeLessThanOrEqual(box.right + 0.5);
    }
    for (let row = 0; row < 20; row++) {
      const line = boxes.slice(row * 5, row * 5 + 5);
      expect(line.map((box) => box.value)).toEqual(['na', '1', '2', '3', '4']);
      expect(new Set(line.map((box) => Math.round(box.top))).size).toBe(1);
    }
    expect(await page.getByRole('radio', { name: words.na, exact: true }).count()).toBe(20);
    for (const label of words.points) expect(await page.getByRole('radio', { name: label, exact: true }).count()).toBe(20);

    expect(await auditPage(page, `grouped-matrix-${lang}-${javaScript}`, { lang })).toEqual([]);
    await context.close();
  });
});
