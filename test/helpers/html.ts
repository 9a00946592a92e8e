// Validates rendered pages as HTML (html-validate, recommended rules), so broken markup fails a test.
import { HtmlValidate } from 'html-validate';

const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: {
    // Checkbox groups post one name several times, which is how browsers send lists.
    'form-dup-name': ['error', { shared: ['radio', 'checkbox', 'button', 'reset', 'submit'] }],
    // A search-engine length hint; survey titles are long, and that is fine.
    'long-title': 'off',
  },
});

/** One line per problem, empty when the page is valid. */
export async function htmlProblems(html: string): Promise<string[]> {
  const report = await validator.validateString(html);
  return report.results.flatMap((result) => result.messages.map((m) => `${m.ruleId}: ${m.message} (line ${m.line})`));
}
