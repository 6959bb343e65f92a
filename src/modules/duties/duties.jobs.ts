import { Injectable } from '@nestjs/common';
import { Actor, SYSTEM_ACTOR } from '../../core/auth/actor';
import { AppConfig } from '../../core/config/app-config.service';
import { JobQueue } from '../../core/jobs/job-queue.service';
import { countDataLines, JobWork } from '../../core/jobs/job-work.service';
import { DutiesService } from './duties.service';
import { RecordsImportService } from './records-import.service';

export const RECORDS_IMPORT_JOB = 'records.import';
export const DUTIES_GENERATE_JOB = 'duties.generate';

/** "HH:MM" → the daily cron expression pg-boss schedules in the business time zone. */
export function dailyCron(at: string): string {
  const [h, m] = at.split(':').map(Number);
  return `${m} ${h} * * *`;
}

/**
 * Overdue-duty alerts run by themselves, daily at DUTY_ALERTS_AT (business time zone); `duties alerts` stays for manual
 * runs. A partner's records upload and checklist generation from the page run as jobs the person follows at /jobs/:id.
 */
@Injectable()
export class DutiesJobs {
  constructor(jobs: JobQueue, duties: DutiesService, config: AppConfig, work: JobWork, records: RecordsImportService) {
    jobs.define({ name: 'duties.alerts', retryLimit: 5, retryDelay: 60, handle: async () => duties.raiseOverdueAlerts(SYSTEM_ACTOR) });
    jobs.schedule('duties.alerts', dailyCron(config.get('DUTY_ALERTS_AT')));
    work.define(RECORDS_IMPORT_JOB, async (data, progress, file, jobId) => {
      const total = countDataLines(file!.content);
      progress(0, total);
      // keyed by the job: a retry after the process died right after the commit does not import the file twice
      const r = await records.importCsv(data.actor as Actor, file!.content, { progressEvery: 1000, onProgress: (n) => progress(n, total), key: `job:${jobId}` });
      progress(r.records, total);
      return { message: 'duties:flash.imported', params: { records: r.records, ticked: r.ticked }, link: { href: '/my/records', label: 'jobs:link.records' } };
    });
    work.define<{ period: string }>(DUTIES_GENERATE_JOB, async (data, progress) => {
      progress(0, 1);
      const r = await duties.generate(data.actor as Actor, data.period);
      progress(1, 1);
      return { message: 'duties:flash.generated', params: { period: data.period, inserted: r.inserted, total: r.total }, link: { href: `/duties?period=${encodeURIComponent(data.period)}`, label: 'jobs:link.checklist' } };
    });
  }
}
