/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// What every public page is checked for in the browser tests, beyond axe-core's WCAG 2.1 A/AA
// rules: markup a screen reader relies on, keyboard focus that shows, targets a thumb can hit,
// and a layout that fits a 320 px phone. Each check returns sentences naming the element, so a
// failing test says what to fix.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, screenshot } from './browser';

export const PHONE = { width: 360, height: 740 };
/** The narrowest phone the pages must fit without scrolling sideways (WCAG 1.4.10 reflow). */
export const NARROW = 320;
/** WCAG 2.5.5: 44 × 44 CSS pixels. */
export const MIN_TARGET = 44;

export type Language = 'tr' | 'en';

/**
 * A phone-sized browser context. `javaScript: 'blocked'` keeps JavaScript on for the checks but
 * never loads the site's scripts, so the page renders exactly as it does without JavaScript (a
 * context with JavaScript off cannot run axe-core, whose checks are asynchronous).
 */
export async function phoneContext(browser: Browser, options: { lang: Language; javaScript?: boolean | 'blocked' }): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: PHONE,
    javaScriptEnabled: options.javaScript !== false,
    locale: options.lang === 'tr' ? 'tr-TR' : 'en-GB',
    isMobile: true,
    hasTouch: true,
  });
  if (options.javaScript === 'blocked') await context.route('**/static/js/**', (route) => route.abort());
  return context;
}

export interface AuditOptions {
  lang: Language;
  /**
   * Texts this English page shows in Turkish because they have no English version (a fallback):
   * each must be on the page inside an element with lang="tr".
   */
  turkish?: string[];
  /** Back-office pages: axe-core, lang and the screenshot; the phone rules are for public pages. */
  admin?: boolean;
}

/** Screenshot, axe-core and every check below; returns the problems found, each prefixed with the page's name. */
export async function auditPage(page: Page, name: string, options: AuditOptions): Promise<string[]> {
  const problems: string[] = [];
  const add = (found: string[]) => problems.push(...found.map((problem) => `${name}: ${problem}`));
  // First, before anything moves the focus. Browsers apply `autofocus` (and a script its focus)
  // at a later rendering step than the load event: wait for it, bounded, then judge.
  if (!options.admin) {
    await page
      .waitForFunction(() => {
        const summary = document.querySelector('.error-summary');
        return !summary || document.activeElement === summary;
      }, null, { timeout: 5_000 })
      .catch(() => undefined);
    add(await page.evaluate(errorSummaryFocusProblems));
  }
  await screenshot(page, name);
  add((await axeViolations(page)).map((v) => `axe ${v.id} (${v.help}) at ${v.nodes.join(', ')}`));
  // Back-office pages show what people typed (open answers, names) in whatever language they wrote.
  add(await page.evaluate(languageProblems, { lang: options.lang, turkish: options.turkish ?? [], guess: !options.admin }));
  if (options.admin) return problems;
  add(await page.evaluate(markupProblems));
  add(await page.evaluate(focusProblems));
  add(await page.evaluate(targetProblems, MIN_TARGET));
  add(await layoutProblems(page));
  return problems;
}

/** A page that comes back with errors puts the keyboard focus on its error summary. */
function errorSummaryFocusProblems(): string[] {
  const summary = document.querySelector('.error-summary');
  if (!summary || document.activeElement === summary) return [];
  const focused = document.activeElement;
  return [`the error summary does not have the focus (${focused ? focused.tagName.toLowerCase() + (focused.id ? '#' + focused.id : '') : 'nothing'} has it)`];
}

/**
 * lang on <html>, and lang="tr" on the Turkish texts an English page shows: those named by the
 * test, and, as a safety net on public pages (`guess`), any text holding Turkish function words
 * (names of places, people and institutions are Turkish on English pages too, and need no lang,
 * WCAG 3.1.2).
 */
function languageProblems(input: { lang: string; turkish: string[]; guess: boolean }): string[] {
  const problems: string[] = [];
  const htmlLang = document.documentElement.getAttribute('lang');
  if (htmlLang !== input.lang) problems.push(`<html lang="${htmlLang}">, expected "${input.lang}"`);
  if (input.lang !== 'en') return problems;
  const langOf = (node: Node) => (node.parentElement?.closest('[lang]') as HTMLElement | null)?.lang;
  const texts: Text[] = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement && !node.parentElement.closest('script, style')) texts.push(node as Text);
  }
  for (const wanted of input.turkish) {
    const found = texts.filter((node) => node.data.includes(wanted));
    if (found.length === 0) problems.push(`"${wanted}" is not on the page`);
    for (const node of found) if (langOf(node) !== 'tr') problems.push(`"${wanted}" is Turkish but sits in lang="${langOf(node)}"`);
  }
  if (!input.guess) return problems;
  const turkishWords = /(^|[^\p{L}])(ve|ile|için|bir|bu|veya|değil|olarak|gibi|daha|lütfen|ya da)(?=$|[^\p{L}])/iu;
  for (const node of texts) {
    if (langOf(node) !== 'tr' && turkishWords.test(node.data)) problems.push(`Turkish text outside lang="tr": "${node.data.trim().slice(0, 60)}"`);
  }
  return problems;
}

/**
 * Choice groups in a fieldset with a legend; every field labelled; help, hint, condition and
 * error texts tied to their field with aria-describedby; errors listed in a summary whose links
 * lead to the fields.
 */
function markupProblems(): string[] {
  const problems: string[] = [];
  const describe = (el: Element) =>
    el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') + (el.getAttribute('name') ? `[name="${el.getAttribute('name')}"]` : '');
  const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

  const groups = new Map<string, HTMLInputElement[]>();
  for (const input of document.querySelectorAll<HTMLInputElement>('input[type=radio], input[type=checkbox]')) {
    const key = `${input.form ? Array.from(document.forms).indexOf(input.form) : -1}:${input.name}`;
    groups.set(key, [...(groups.get(key) ?? []), input]);
  }
  for (const inputs of groups.values()) {
    if (inputs.length < 2) continue;
    const fieldset = inputs[0]!.closest('fieldset');
    const legend = fieldset?.querySelector(':scope > legend');
    if (!fieldset || !text(legend)) problems.push(`the choices ${describe(inputs[0]!)} are not in a fieldset with a legend`);
    else if (inputs.some((input) => input.closest('fieldset') !== fieldset)) problems.push(`the choices ${describe(inputs[0]!)} are split over fieldsets`);
  }

  const idsIn = (el: Element, attribute: string) => (el.getAttribute(attribute) ?? '').split(/\s+/).filter(Boolean);
  for (const field of document.querySelectorAll<HTMLInputElement>('input, select, textarea')) {
    if (['hidden', 'submit', 'button', 'reset', 'image'].includes(field.type)) continue;
    const labels = Array.from(field.labels ?? []).map(text).filter(Boolean);
    const labelledBy = idsIn(field, 'aria-labelledby').map((id) => text(document.getElementById(id))).filter(Boolean);
    if (labels.length + labelledBy.length === 0) problems.push(`${describe(field)} has no label`);
  }

  const referenced = new Set<string>();
  for (const el of document.querySelectorAll('[aria-describedby]')) {
    for (const id of idsIn(el, 'aria-describedby')) {
      if (!document.getElementById(id)) problems.push(`${describe(el)} aria-describedby names #${id}, which is not on the page`);
      referenced.add(id);
    }
  }
  // Texts inside a label or legend are part of the field's name already; notes about the whole
  // form (outside any field's box) describe no one field.
  for (const note of document.querySelectorAll('main .help, main .hint, main .cond, main .error')) {
    if (note.closest('label, legend')) continue;
    if (!note.classList.contains('error') && !note.closest('.q, fieldset')) continue;
    if (!note.id || !referenced.has(note.id)) problems.push(`"${text(note).slice(0, 50)}" is not tied to its field with aria-describedby`);
  }
  for (const field of document.querySelectorAll('[aria-invalid="true"]')) {
    if (!idsIn(field, 'aria-describedby').some((id) => document.getElementById(id)?.classList.contains('error'))) {
      problems.push(`${describe(field)} is invalid but its error message is not in its aria-describedby`);
    }
  }

  const invalid = Array.from(document.querySelectorAll('[aria-invalid="true"], .q.invalid'));
  const errors = Array.from(document.querySelectorAll('main .error')).filter((el) => !el.closest('label, legend'));
  if (invalid.length + errors.length > 0) {
    const summary = document.querySelector('.error-summary');
    const targets = Array.from(summary?.querySelectorAll<HTMLAnchorElement>('a[href^="#"]') ?? []).map((link) => {
      const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!target || !target.matches('input, select, textarea')) problems.push(`the error summary's link ${link.hash} does not lead to a field`);
      return target;
    });
    if (!summary) problems.push('the page shows errors but has no error summary');
    else if (targets.length === 0) problems.push('the error summary has no links to the fields');
    for (const field of invalid) {
      const box = field.closest('.q, fieldset') ?? field;
      if (!targets.some((target) => target && (target === field || box.contains(target)))) problems.push(`${describe(field)} is invalid but no link of the error summary leads to it`);
    }
  }
  return problems;
}

/**
 * Every element the keyboard reaches shows where the focus is: a 3:1 outline (against what is
 * behind it, WCAG 1.4.11) or a box-shadow. Focus moved by script matches :focus-visible the way
 * keyboard focus does, so focusing each element in turn shows what Tab shows.
 */
function focusProblems(): string[] {
  const problems: string[] = [];
  const rgb = (color: string) => {
    const parts = (color.match(/[\d.]+/g) ?? []).map(Number);
    return { r: parts[0] ?? 0, g: parts[1] ?? 0, b: parts[2] ?? 0, a: parts.length > 3 ? parts[3]! : 1 };
  };
  const luminance = (color: string) => {
    const { r, g, b } = rgb(color);
    const channel = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const backdrop = (el: Element | null): string => {
    for (let node = el; node; node = node.parentElement) {
      const color = getComputedStyle(node).backgroundColor;
      if (rgb(color).a > 0) return color;
    }
    return 'rgb(255, 255, 255)';
  };
  const focusable = document.querySelectorAll<HTMLElement>('a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]');
  for (const el of focusable) {
    // Out of the tab order, unless it is the error summary the page moves the focus to.
    if ((el.tabIndex < 0 && !el.matches('.error-summary')) || (el as HTMLButtonElement).disabled) continue;
    el.focus();
    if (document.activeElement !== el) continue; // not rendered: hidden by a condition
    const style = getComputedStyle(el);
    const name = el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') + (el.textContent?.trim() ? ` "${el.textContent.trim().slice(0, 30)}"` : '');
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    if (!outline && style.boxShadow === 'none') {
      problems.push(`${name} shows no focus (outline ${style.outlineStyle} ${style.outlineWidth}, no box-shadow)`);
      continue;
    }
    if (outline) {
      // An outline drawn outside the element is seen against its parent's background.
      const behind = backdrop(parseFloat(style.outlineOffset) >= 0 ? el.parentElement : el);
      const [a, b] = [luminance(style.outlineColor), luminance(behind)].sort((x, y) => y - x);
      const ratio = (a! + 0.05) / (b! + 0.05);
      if (ratio < 3) problems.push(`${name}: focus outline ${style.outlineColor} on ${behind} has contrast ${ratio.toFixed(2)}, under 3:1`);
    }
  }
  (document.activeElement as HTMLElement | null)?.blur();
  return problems;
}

/**
 * Buttons, fields, selects, disclosures' summaries, the labels of radios and checkboxes (their whole clickable box
 * counts) and links at least 44 × 44 CSS px. Exempt, as WCAG 2.5.5 allows: a link inside a
 * sentence, that is whose nearest block holds other text besides the link ("Inline"). A link
 * standing alone (a "back" link, a card's title, an error summary entry) is a target and is
 * measured. The skip link is measured where it appears, on focus.
 */
function targetProblems(min: number): string[] {
  const problems: string[] = [];
  const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
  const shown = (el: HTMLElement) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const blockOf = (el: Element): Element | null => {
    for (let node = el.parentElement; node; node = node.parentElement) if (!getComputedStyle(node).display.startsWith('inline')) return node;
    return null;
  };
  for (const el of document.querySelectorAll<HTMLElement>('button, input:not([type=hidden]), select, textarea, summary, a[href]')) {
    const name = el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') + ` "${(text(el) || el.getAttribute('name') || '').slice(0, 30)}"`;
    // Hidden from assistive technology and out of the tab order: a trap for bots (the honeypot), no one's target.
    if (el.closest('[aria-hidden="true"]') && el.tabIndex < 0) continue;
    let box: Element = el;
    if (el.matches('input[type=radio], input[type=checkbox]')) {
      const label = (el as HTMLInputElement).labels?.[0] ?? el.closest('label');
      if (!label) {
        problems.push(`${name} has no label to tap`);
        continue;
      }
      box = label;
    } else if (el.tagName === 'A' && text(blockOf(el)) !== text(el)) continue;
    if (el.classList.contains('skip')) el.focus();
    else if (!shown(el)) continue;
    const rect = box.getBoundingClientRect();
    // Half a pixel for rounding (1.35rem and the like).
    if (rect.width < min - 0.5 || rect.height < min - 0.5) problems.push(`${name} is ${rect.width.toFixed(1)} × ${rect.height.toFixed(1)} px, under ${min} × ${min}`);
    if (el.classList.contains('skip')) el.blur();
  }
  return problems;
}

/**
 * No sideways scrolling at the phone's width and at 320 px; a likert matrix is one statement under another, each
 * statement's options inside the screen, never a wide table.
 */
async function layoutProblems(page: Page): Promise<string[]> {
  const original = page.viewportSize()!;
  const problems: string[] = [];
  // The page is audited at phone width: measured as it is, then narrowed.
  for (const width of [original.width, NARROW]) {
    if (width !== original.width) await page.setViewportSize({ width, height: original.height });
    problems.push(
      ...(await page.evaluate((w) => {
        const found: string[] = [];
        const scroll = document.documentElement.scrollWidth;
        if (scroll > w) found.push(`scrolls sideways at ${w} px (${scroll} px wide)`);
        for (const matrix of document.querySelectorAll('.likert')) {
          if (matrix.querySelector('table')) found.push(`likert ${matrix.id} is a table`);
          let previousBottom = -Infinity;
          for (const row of matrix.querySelectorAll<HTMLElement>('fieldset.row')) {
            const r = row.getBoundingClientRect();
            const legend = (row.querySelector('legend')?.textContent ?? '').trim().slice(0, 30);
            if (r.top < previousBottom - 0.5) found.push(`likert ${matrix.id}: "${legend}" is beside another statement at ${w} px`);
            previousBottom = r.bottom;
            if (row.scrollWidth > row.clientWidth) found.push(`likert ${matrix.id}: "${legend}" overflows its box at ${w} px`);
            for (const label of row.querySelectorAll('label')) {
              const box = label.getBoundingClientRect();
              if (box.left < 0 || box.right > w) found.push(`likert ${matrix.id}: an option of "${legend}" is off the screen at ${w} px`);
            }
          }
        }
        return found;
      }, width)),
    );
  }
  await page.setViewportSize(original);
  return problems;
}
