// Label in name (WCAG 2.5.3) on rendered HTML: for every link and button, the accessible name
// (aria-label, or all its text including visually hidden text) starts with the text people see.
// A small reader for the markup our views write: links and buttons never nest.

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

const decode = (text: string) =>
  text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
    if (code.startsWith('#x') || code.startsWith('#X')) return String.fromCodePoint(parseInt(code.slice(2), 16));
    if (code.startsWith('#')) return String.fromCodePoint(Number(code.slice(1)));
    return ENTITIES[code.toLowerCase()] ?? whole;
  });

const squash = (text: string) => decode(text.replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim();

const attribute = (attributes: string, name: string): string | undefined => {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(attributes);
  return match ? decode(match[1]!) : undefined;
};

export interface NamedControl {
  element: string;
  visible: string;
  name: string;
}

/** Every link, button and submit input of the page, with its visible text and its accessible name. */
export function namedControls(html: string): NamedControl[] {
  // Only what is rendered into the page's body; templates and scripts are not controls.
  const body = html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<template[\s\S]*?<\/template>/g, '');
  const controls: NamedControl[] = [];
  for (const match of body.matchAll(/<(a|button)\b([^>]*)>([\s\S]*?)<\/\1>/g)) {
    const [element, , attributes, inner] = match as unknown as [string, string, string, string];
    const visible = squash(inner.replace(/<span class="visually-hidden">[\s\S]*?<\/span>/g, '').replace(/<[^>]*aria-hidden="true"[^>]*>[\s\S]*?<\/[a-z]+>/g, ''));
    const label = attribute(attributes, 'aria-label');
    controls.push({ element: element.slice(0, 200), visible, name: label ?? squash(inner) });
  }
  for (const match of body.matchAll(/<input\b([^>]*)>/g)) {
    const attributes = match[1]!;
    if (!/\stype="(submit|button)"/.test(attributes)) continue;
    const visible = attribute(attributes, 'value') ?? '';
    controls.push({ element: match[0].slice(0, 200), visible, name: attribute(attributes, 'aria-label') ?? visible });
  }
  return controls;
}

/** The controls whose accessible name does not start with their visible text (case and spacing aside). */
export function labelNotInName(html: string): NamedControl[] {
  return namedControls(html).filter((c) => c.visible !== '' && !c.name.toLocaleLowerCase('tr').startsWith(c.visible.toLocaleLowerCase('tr')));
}

