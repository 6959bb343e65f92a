import { Injectable } from '@nestjs/common';
import { JobQueue } from '../../core/jobs/job-queue.service';
import { SupportService } from './support.service';

export const SUPPORT_OVERDUE_JOB = 'support.overdue';

/** Overdue support requests alert their managers: every 15 minutes (a 4 h promise cannot wait for a daily run). */
@Injectable()
export class SupportJobs {
  constructor(jobs: JobQueue, support: SupportService) {
    jobs.define({ name: SUPPORT_OVERDUE_JOB, retryLimit: 5, retryDelay: 60, handle: async () => ({ alerted: await support.raiseOverdueAlerts() }) });
    jobs.schedule(SUPPORT_OVERDUE_JOB, '*/15 * * * *');
  }
}
