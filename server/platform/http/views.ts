// EJS with one layout: a view renders its body, the layout wraps it unless the view opts out.
import path from 'node:path';
import ejs from 'ejs';
import { projectRoot } from '../paths';

export const VIEWS_DIR = path.join(projectRoot, 'views');
const LAYOUT = path.join(VIEWS_DIR, 'layout.ejs');

type Callback = (error: Error | null, html?: string) => void;

export function createViewEngine(cache: boolean) {
  const options = { cache, views: [VIEWS_DIR], rmWhitespace: true };
  return (file: string, options: object, callback: Callback): void => {
    const locals = options as Record<string, unknown>;
    ejs.renderFile(file, locals, options, (error, body) => {
      if (error) return callback(error);
      if (locals.layout === false) return callback(null, body);
      ejs.renderFile(LAYOUT, { ...locals, body }, options, (layoutError, html) =>
        layoutError ? callback(layoutError) : callback(null, html),
      );
    });
  };
}
