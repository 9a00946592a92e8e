// Rendered pieces of pages remembered by a key that names everything they depend on. A survey
// question shown without an answer or an error is the same HTML for every visitor, and rendering
// it (four EJS includes, each copying the template locals) is most of a section page's CPU.
export interface Fragments {
  /** The HTML remembered under key, or render()'s, remembered; render() alone when key is undefined. */
  get(key: string | undefined, render: () => string): string;
}

/**
 * Bounded: keys grow with survey versions and languages, not with visitors, but an upload a day
 * for a year must not grow the process. When full, the oldest half goes.
 */
export function createFragments(max = 5_000): Fragments {
  const remembered = new Map<string, string>();
  return {
    get(key, render) {
      if (key === undefined) return render();
      let html = remembered.get(key);
      if (html === undefined) {
        html = render();
        if (remembered.size >= max) {
          let drop = Math.ceil(max / 2);
          for (const old of remembered.keys()) {
            if (drop-- === 0) break;
            remembered.delete(old);
          }
        }
        remembered.set(key, html);
      }
      return html;
    },
  };
}

/** For development, where templates change on disk while the server runs. */
export const renderAlways: Fragments = { get: (_key, render) => render() };

/**
 * Whole pages remembered by a key that names everything they show, with the few per-visitor
 * values (form token, page key) left as holes: a survey section shown blank is the same page for
 * every new visitor of one survey version and language, and rendering it through EJS, i18next and
 * the layout is most of its request's CPU. Bounded like the fragments.
 */
export interface PageCache {
  /** The page's pieces around its holes, or undefined when not remembered. */
  find(key: string): readonly string[] | undefined;
  keep(key: string, pieces: readonly string[]): void;
}

export function createPageCache(max = 500): PageCache {
  const remembered = new Map<string, readonly string[]>();
  return {
    find: (key) => remembered.get(key),
    keep(key, pieces) {
      if (remembered.size >= max) {
        let drop = Math.ceil(max / 2);
        for (const old of remembered.keys()) {
          if (drop-- === 0) break;
          remembered.delete(old);
        }
      }
      remembered.set(key, pieces);
    },
  };
}
