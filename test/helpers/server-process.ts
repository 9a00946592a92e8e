// The real server (server/main.ts) as a child process, for tests that kill and restart it.
import { spawn, type ChildProcess } from 'node:child_process';
import { projectRoot } from '../../server/platform/paths';

export interface ServerProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code, or the signal's name when it was killed. */
  exited: Promise<number | string | null>;
}

/** Starts server/main.ts and resolves once it says it is listening. */
export function startServer(env: Record<string, string>, timeoutMs = 30_000): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
    });
    let output = '';
    const exited = new Promise<number | string | null>((done) => child.on('exit', (code, signal) => done(code ?? signal)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const server: ServerProcess = { child, output: () => output, exited };
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (/listening on/.test(output)) {
        clearTimeout(timer);
        resolve(server);
      }
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${output}`));
    });
  });
}
