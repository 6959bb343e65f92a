import { Injectable } from '@nestjs/common';
import { Actor } from '../../core/auth/actor';
import { countDataLines, JobWork } from '../../core/jobs/job-work.service';
import { CustomerImportService } from './customer-import.service';

export const CUSTOMERS_IMPORT_JOB = 'customers.import';

/** The customer import from the page runs as a job (all or nothing); the person follows it at /jobs/:id. */
@Injectable()
export class CustomersJobs {
  constructor(work: JobWork, importer: CustomerImportService) {
    work.define(CUSTOMERS_IMPORT_JOB, async (data, progress, file) => {
      progress(0, countDataLines(file!.content));
      const r = await importer.importCsv(data.actor as Actor, file!.content, (done, total) => progress(done, total));
      return { message: 'customers:flash.imported', params: { customers: r.customers, assignments: r.assignments }, link: { href: '/customers', label: 'jobs:link.customers' } };
    });
  }
}
