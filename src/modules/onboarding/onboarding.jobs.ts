import { Injectable } from '@nestjs/common';
import { Actor } from '../../core/auth/actor';
import { countDataLines, JobWork } from '../../core/jobs/job-work.service';
import { PartnerImportService } from './partner-import.service';

export const PARTNERS_IMPORT_JOB = 'partners.import';

/** The partner-base import from the page runs as a job (all or nothing); the admin follows it at /jobs/:id. */
@Injectable()
export class OnboardingJobs {
  constructor(work: JobWork, importer: PartnerImportService) {
    work.define(PARTNERS_IMPORT_JOB, async (data, progress, file) => {
      progress(0, countDataLines(file!.content));
      const r = await importer.import(data.actor as Actor, file!.content, (done, total) => progress(done, total));
      return { message: 'onboarding:flash.imported', params: { ...r }, link: { href: '/partners', label: 'jobs:link.partners' } };
    });
  }
}
