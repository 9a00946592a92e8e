#!/usr/bin/env node
// `npm audit` of the production dependencies for CI: fails on high or critical vulnerabilities and
// on any error, except a registry that has no audit endpoint at all (a mirror answering 405, as
// this project's build machines have), where it warns loudly and lets the build go on: such a
// registry can never answer, and failing every build would only teach people to skip the step.
import { spawnSync } from 'node:child_process';

const ARGS = ['audit', '--omit=dev', '--audit-level=high', '--json'];
/** HTTP statuses that mean "this registry does not implement the audit API", not "it failed". */
const NO_ENDPOINT = new Set([404, 405, 501]);

/** @returns {{ exitCode: number, warning?: boolean, lines: string[] }} what to print and how to end, from npm's output. */
function decide({ status, stdout, stderr }) {
  let report;
  try {
    report = JSON.parse(stdout);
  } catch {
    report = undefined;
  }
  const counts = report?.metadata?.vulnerabilities;
  if (counts && typeof counts === 'object') {
    const serious = (counts.high ?? 0) + (counts.critical ?? 0);
    const found = Object.values(report.vulnerabilities ?? {})
      .filter((v) => v.severity === 'high' || v.severity === 'critical')
      .map((v) => `  ${v.severity}: ${v.name} ${v.range ?? ''}${v.fixAvailable ? ' (fix available: npm audit fix)' : ''}`.trimEnd());
    if (serious > 0) {
      return { exitCode: 1, lines: [`npm audit: ${counts.critical ?? 0} critical and ${counts.high ?? 0} high vulnerabilities in production dependencies:`, ...found] };
    }
    if (status !== 0) return { exitCode: 1, lines: [`npm audit exited with ${status} although it reported no high or critical vulnerability:`, stderr.trim()] };
    const lower = counts.total ?? 0;
    return { exitCode: 0, lines: [`npm audit: no high or critical vulnerabilities in production dependencies${lower > 0 ? ` (${lower} of lower severity)` : ''}.`] };
  }
  const httpStatus = Number(report?.statusCode ?? /\baudit (\d{3}) /.exec(stderr)?.[1] ?? NaN);
  const code = String(report?.code ?? report?.error?.code ?? '');
  if (NO_ENDPOINT.has(httpStatus) || /^E(404|405|501)$/.test(code)) {
    return {
      exitCode: 0,
      warning: true,
      lines: [
        '##########################################################################',
        `WARNING: npm audit could NOT be performed: the registry has no audit endpoint`,
        `(${report?.message ?? `HTTP ${httpStatus}`}).`,
        'Production dependencies were not checked for known vulnerabilities.',
        'Run `npm audit --omit=dev` against registry.npmjs.org (or a mirror with audit support) before a release.',
        '##########################################################################',
      ],
    };
  }
  if (!report) return { exitCode: 1, lines: ['npm audit failed and printed no report:', stderr.trim() || stdout.trim() || `exit code ${status}`] };
  const reason = report.error?.summary || report.message || stderr.trim() || `exit code ${status}`;
  return { exitCode: 1, lines: [`npm audit failed: ${code ? `${code} ` : ''}${reason}`] };
}

function main() {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const run = spawnSync(npm, ARGS, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) {
    console.error(`npm audit could not be started: ${run.error.message}`);
    process.exit(1);
  }
  const { exitCode, warning, lines } = decide({ status: run.status ?? 1, stdout: run.stdout ?? '', stderr: run.stderr ?? '' });
  (exitCode === 0 && !warning ? console.log : console.error)(lines.join('\n'));
  process.exit(exitCode);
}

main();
