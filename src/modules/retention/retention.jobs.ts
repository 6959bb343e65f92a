import { Injectable } from '@nestjs/common';
import { SYSTEM_ACTOR } from '../../core/auth/actor';
import { JobQueue } from '../../core/jobs/job-queue.service';
import { periodOfDate, previousPeriod, todayIso } from '../../core/period/period.util';
import { RetentionService } from './retention.service';

export const RETENTION_EVALUATE_JOB = 'retention.evaluate';

/**
 * The accrual-drop check runs by itself daily at 06:30 (business time zone) for the last finished quarter against the
 * one before (accruals arrive after a quarter ends; re-running raises nothing twice); `retention evaluate` and the
 * page's button run it for a chosen quarter.
 */
@Injectable()
export class RetentionJobs {
  constructor(jobs: JobQueue, retention: RetentionService) {
    jobs.define<{ period?: string }>({
      name: RETENTION_EVALUATE_JOB, retryLimit: 3, retryDelay: 60,
      handle: async (data) => retention.evaluateAccruals(SYSTEM_ACTOR, data.period ?? previousPeriod(periodOfDate(todayIso()).code).code),
    });
    jobs.schedule(RETENTION_EVALUATE_JOB, '30 6 * * *');
  }
}
