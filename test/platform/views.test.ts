import fs from 'node:fs';
import path from 'node:path';
import { createViewEngine } from '../../server/platform/http/views';
import { tempDir } from '../helpers/test-app';

function render(engine: ReturnType<typeof createViewEngine>, file: string, locals: object): Promise<string> {
  return new Promise((resolve, reject) => engine(file, locals, (error, html) => (error ? reject(error) : resolve(html!))));
}

describe('createViewEngine', () => {
  const dir = tempDir('paydas-views-');
  const layout = path.join(dir, 'layout.ejs');
  const view = path.join(dir, 'page.ejs');
  beforeEach(() => {
    fs.writeFileSync(layout, '<main><%- body %></main>');
    fs.writeFileSync(view, '  <p><%= name %></p>\n');
  });

  it('wraps the view in the layout, escapes output and trims template indentation', async () => {
    const html = await render(createViewEngine(false, layout), view, { name: '<b>Ayşe</b>' });
    expect(html).toBe('<main><p>&lt;b&gt;Ayşe&lt;/b&gt;</p></main>');
  });

  it('compiles each template once when caching, and re-reads it when not', async () => {
    const cached = createViewEngine(true, layout);
    await render(cached, view, { name: 'a' });
    fs.writeFileSync(view, '<p>changed</p>');
    expect(await render(cached, view, { name: 'a' })).toBe('<main><p>a</p></main>');
    expect(await render(createViewEngine(false, layout), view, { name: 'a' })).toBe('<main><p>changed</p></main>');
  });

  it('does not let a local change how templates compile', async () => {
    const html = await render(createViewEngine(false, layout), view, { name: 'x', delimiter: '?', strict: true, client: true });
    expect(html).toBe('<main><p>x</p></main>');
  });

  it('renders a view without the layout when asked', async () => {
    expect(await render(createViewEngine(false, layout), view, { name: 'y', layout: false })).toBe('<p>y</p>');
  });
});
