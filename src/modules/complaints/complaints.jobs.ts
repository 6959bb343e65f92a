import { Injectable } from '@nestjs/common';
import { Actor, SYSTEM_ACTOR } from '../../core/auth/actor';
import { JobQueue } from '../../core/jobs/job-queue.service';
import { countDataLines, JobWork } from '../../core/jobs/job-work.service';
import { ComplaintImportService } from './complaint-import.service';
import { ComplaintsService } from './complaints.service';

export const COMPLAINTS_ESCALATE_JOB = 'complaints.escalate';
export const COMPLAINTS_IMPORT_JOB = 'complaints.import';
/** Every 5 minutes: an overdue order is escalated at most 5 minutes after its due time (pg-boss fires it once across processes). */
export const ESCALATE_CRON = '*/5 * * * *';

/** Overdue work orders escalate by themselves (超越时限自动示警); an import from the page runs as a job. */
@Injectable()
export class ComplaintsJobs {
  constructor(jobs: JobQueue, complaints: ComplaintsService, work: JobWork, importer: ComplaintImportService) {
    jobs.define({ name: COMPLAINTS_ESCALATE_JOB, retryLimit: 3, retryDelay: 30, expireInSeconds: 300, handle: async () => complaints.escalateOverdue(SYSTEM_ACTOR) });
    jobs.schedule(COMPLAINTS_ESCALATE_JOB, ESCALATE_CRON);
    work.define(COMPLAINTS_IMPORT_JOB, async (data, progress, file) => {
      progress(0, countDataLines(file!.content));
      const r = await importer.importCsv(data.actor as Actor, file!.content, (done, total) => progress(done, total));
      return { message: 'complaints:flash.imported', params: { count: r.created }, link: { href: '/complaints', label: 'complaints:list.title' } };
    });
  }
}
