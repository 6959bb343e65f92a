import { Injectable } from '@nestjs/common';
import { SYSTEM_ACTOR } from '../../core/auth/actor';
import { AppConfig } from '../../core/config/app-config.service';
import { JobQueue } from '../../core/jobs/job-queue.service';
import { DutiesService } from './duties.service';

/** "HH:MM" → the daily cron expression pg-boss schedules in the business time zone. */
export function dailyCron(at: string): string {
  const [h, m] = at.split(':').map(Number);
  return `${m} ${h} * * *`;
}

/** Overdue-duty alerts run by themselves, daily at DUTY_ALERTS_AT (business time zone); `duties alerts` stays for manual runs. */
@Injectable()
export class DutiesJobs {
  constructor(jobs: JobQueue, duties: DutiesService, config: AppConfig) {
    jobs.define({ name: 'duties.alerts', retryLimit: 5, retryDelay: 60, handle: async () => duties.raiseOverdueAlerts(SYSTEM_ACTOR) });
    jobs.schedule('duties.alerts', dailyCron(config.get('DUTY_ALERTS_AT')));
  }
}
