// EJS with one layout: a view renders its body, the layout wraps it unless the view opts out.
import path from 'node:path';
import ejs from 'ejs';
import { projectRoot } from '../paths';

export const VIEWS_DIR = path.join(projectRoot, 'views');
const LAYOUT = path.join(VIEWS_DIR, 'layout.ejs');

type Callback = (error: Error | null, html?: string) => void;

/** An Express view engine; `cache` compiles each template once (everywhere but development). */
export function createViewEngine(cache: boolean, layout = LAYOUT) {
  // Passed separately from the locals, so no local can change how a template compiles.
  const options = { cache, views: [VIEWS_DIR], rmWhitespace: true };
  return (file: string, data: object, callback: Callback): void => {
    const locals = data as Record<string, unknown>;
    ejs.renderFile(file, locals, options, (error, body) => {
      if (error) return callback(error);
      if (locals.layout === false) return callback(null, body);
      // A view may name another layout (e.g. 'admin/layout'); names come from code, never from requests.
      const layoutFile = typeof locals.layout === 'string' ? path.join(VIEWS_DIR, `${locals.layout}.ejs`) : layout;
      ejs.renderFile(layoutFile, { ...locals, body }, options, (layoutError, html) =>
        layoutError ? callback(layoutError) : callback(null, html),
      );
    });
  };
}
