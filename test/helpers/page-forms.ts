// Reads the POST forms of a rendered page the way a browser without JavaScript submits them: each
// control's current value (hidden fields, typed values, selected options, ticked boxes).
import type { Fields } from './forms';

export interface PageForm {
  action: string;
  enctype: string;
  /** What the form would send as it stands (plus every checkbox ticked, when asked). */
  fields: Fields;
  /** Names of every control in the form. */
  names: string[];
  html: string;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&#34;': '"', '&quot;': '"', '&#39;': "'" };
export const decodeHtml = (text: string) => text.replace(/&(amp|lt|gt|quot|#34|#39);/g, (entity) => ENTITIES[entity]!);

function attributes(tag: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const match of tag.matchAll(/\s([\w:-]+)(?:="([^"]*)")?/g)) found[match[1]!] = decodeHtml(match[2] ?? '');
  return found;
}

function add(fields: Fields, name: string, value: string): void {
  const current = fields[name];
  fields[name] = current === undefined ? value : Array.isArray(current) ? [...current, value] : [current, value];
}

export function postForms(html: string, options: { tickAll?: boolean } = {}): PageForm[] {
  const forms: PageForm[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const form = attributes(match[1]!);
    if ((form.method ?? 'get').toLowerCase() !== 'post') continue;
    const body = match[2]!;
    const fields: Fields = {};
    const names = new Set<string>();
    for (const control of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>|<select\b([^>]*)>([\s\S]*?)<\/select>|<input\b([^>]*)>/g)) {
      const [, textareaTag, textareaText, selectTag, selectBody, inputTag] = control;
      const attrs = attributes(textareaTag ?? selectTag ?? inputTag ?? '');
      const name = attrs.name;
      if (!name) continue;
      names.add(name);
      if (textareaTag !== undefined) add(fields, name, decodeHtml(textareaText ?? ''));
      else if (selectTag !== undefined) {
        const options = [...(selectBody ?? '').matchAll(/<option\b([^>]*)>/g)].map((option) => attributes(option[1]!));
        const selected = options.find((option) => 'selected' in option) ?? options[0];
        if (selected) add(fields, name, selected.value ?? '');
      } else {
        const type = (attrs.type ?? 'text').toLowerCase();
        if (type === 'file' || type === 'submit' || type === 'button') continue;
        if (type === 'checkbox' || type === 'radio') {
          if ('checked' in attrs || (options.tickAll && type === 'checkbox')) add(fields, name, attrs.value ?? 'on');
        } else add(fields, name, attrs.value ?? '');
      }
    }
    forms.push({ action: form.action ?? '', enctype: form.enctype ?? 'application/x-www-form-urlencoded', fields, names: [...names], html: match[0] });
  }
  return forms;
}

/** The one POST form whose action matches; throws when there is none. */
export function postForm(html: string, action: RegExp, options: { tickAll?: boolean } = {}): PageForm {
  const form = postForms(html, options).find((f) => action.test(f.action));
  if (!form) throw new Error(`No POST form to ${action} on the page: ${postForms(html).map((f) => f.action).join(', ')}`);
  return form;
}
