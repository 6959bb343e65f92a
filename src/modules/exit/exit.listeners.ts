import { Injectable } from '@nestjs/common';
import { SYSTEM_ACTOR } from '../../core/auth/actor';
import { JobQueue } from '../../core/jobs/job-queue.service';
import { ExitService } from './exit.service';

/** The job other modules enqueue in their own transactions (a confirmed quarter, a major violation). */
export const EXIT_EVALUATE = 'exit.evaluate';
export interface ExitEvaluateJob { period?: string; partnerIds: number[]; cause: string }

/**
 * Evaluates the exit rules after a scoring quarter is confirmed or a major violation is recorded. The work is a durable
 * job written in the same transaction as its cause, so a process that stops right after the commit loses nothing;
 * the evaluation is idempotent (a retry proposes nothing twice).
 */
@Injectable()
export class ExitListeners {
  constructor(jobs: JobQueue, exits: ExitService) {
    jobs.define<ExitEvaluateJob>({
      name: EXIT_EVALUATE, retryLimit: 10, retryDelay: 30,
      handle: async (job) => {
        const created = await exits.evaluate(SYSTEM_ACTOR, { period: job.period, partnerIds: job.partnerIds });
        return { proposals: created.map((p) => p.id) };
      },
    });
  }
}
