// Proposals of groups run inside the server, in slices that give the event loop back every few
// milliseconds, so other planners' and citizens' requests are served while 10,000 answers are
// grouped. One proposal per survey and question, kept in memory: a proposal is a suggestion to
// look at, not data; a restart asks the planner to propose again.
import type { AnswerGroup, GroupableAnswer, Proposal } from './answer-groups';
import { proposeGroupsSteps, splitGroup } from './answer-groups';

/** How long a slice of grouping may hold the event loop. */
const SLICE_MS = 20;
/** Proposals kept; the oldest finished one goes first. */
const KEPT = 50;

/** Runs stepped work in slices of at most sliceMs, reporting its progress (0–1) between slices. */
export async function runChunked<T>(steps: Generator<number, T>, onProgress: (share: number) => void, sliceMs = SLICE_MS): Promise<T> {
  for (;;) {
    const sliceEnd = Date.now() + sliceMs;
    let step = steps.next();
    while (!step.done && Date.now() < sliceEnd) step = steps.next();
    if (step.done) return step.value;
    onProgress(step.value);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export interface GroupJob {
  /** Changes with every new proposal: a form of an older one is refused. */
  id: number;
  surveySlug: string;
  questionId: string;
  state: 'running' | 'done' | 'failed';
  /** 0–100. */
  percent: number;
  answers: number;
  proposal?: Proposal;
  /** The groups as the planner left them: named and ignored ones out, split ones replaced by their parts. */
  groups: AnswerGroup[];
  ignored: number;
}

export type GroupJobs = ReturnType<typeof createGroupJobs>;

export function createGroupJobs(options: { warn?: (message: string, error: unknown) => void } = {}) {
  const jobs = new Map<string, GroupJob>();
  let lastId = 0;
  const keyOf = (surveySlug: string, questionId: string) => `${surveySlug}\u0000${questionId}`;

  const forget = () => {
    if (jobs.size <= KEPT) return;
    const oldest = [...jobs.entries()].find(([, job]) => job.state !== 'running');
    if (oldest) jobs.delete(oldest[0]);
  };

  return {
    find(surveySlug: string, questionId: string): GroupJob | undefined {
      return jobs.get(keyOf(surveySlug, questionId));
    },

    /** Starts a proposal unless one is running for the question; returns the job either way. */
    start(surveySlug: string, questionId: string, load: () => Promise<GroupableAnswer[]>): GroupJob {
      const key = keyOf(surveySlug, questionId);
      const running = jobs.get(key);
      if (running?.state === 'running') return running;
      const job: GroupJob = { id: ++lastId, surveySlug, questionId, state: 'running', percent: 0, answers: 0, groups: [], ignored: 0 };
      jobs.delete(key);
      jobs.set(key, job);
      forget();
      void (async () => {
        try {
          const answers = await load();
          job.answers = answers.length;
          const proposal = await runChunked(proposeGroupsSteps(answers), (share) => (job.percent = Math.min(99, Math.floor(share * 100))));
          Object.assign(job, { proposal, groups: proposal.groups, state: 'done', percent: 100 });
        } catch (error) {
          job.state = 'failed';
          options.warn?.('Proposing groups failed', error);
        }
      })();
      return job;
    },

    /** Takes the group out of the proposal (named or ignored). */
    remove(job: GroupJob, key: string, reason: 'named' | 'ignored'): void {
      job.groups = job.groups.filter((group) => group.key !== key);
      if (reason === 'ignored') job.ignored++;
    },

    /** Replaces the group by its parts; false when it cannot be cut. */
    split(job: GroupJob, key: string): boolean {
      const group = job.groups.find((g) => g.key === key);
      const parts = group && job.proposal ? splitGroup(job.proposal.corpus, group) : undefined;
      if (!parts) return false;
      const at = job.groups.indexOf(group!);
      job.groups = [...job.groups.slice(0, at), ...parts, ...job.groups.slice(at + 1)];
      return true;
    },
  };
}
