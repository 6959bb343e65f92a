import { Injectable } from '@nestjs/common';
import { Actor } from '../../core/auth/actor';
import { formatYuan } from '../../core/i18n/format.util';
import { countDataLines, JobWork } from '../../core/jobs/job-work.service';
import { decodeCsvBuffer } from '../../core/csv/encoding';
import { textSource } from '../../core/csv/text-source';
import { AccrualImportService } from './accrual-import.service';
import { SettlementRunService } from './settlement-run.service';

export const ACCRUAL_IMPORT_JOB = 'settlement.import-accruals';
export const SETTLEMENT_RUN_JOB = 'settlement.run';

/** Finance's long work from the pages runs as jobs: the accrual import (all or nothing) and the batch run. */
@Injectable()
export class SettlementJobs {
  constructor(work: JobWork, imports: AccrualImportService, runs: SettlementRunService) {
    work.define<{ period: string }>(ACCRUAL_IMPORT_JOB, async (data, progress, file) => {
      const total = countDataLines(file!.content);
      progress(0, total);
      const r = await imports.importStream(data.actor as Actor, data.period, textSource(decodeCsvBuffer(file!.content)), {
        fileName: file!.name, progressEvery: 2000, onProgress: (n) => progress(n, total),
      });
      progress(r.lineCount, total);
      return {
        message: 'settlement:flash.imported', params: { count: r.lineCount, period: r.period, total: formatYuan(r.total), id: r.importId },
        link: { href: '/settlement', label: 'jobs:link.accrualImport' },
      };
    });
    work.define<{ period: string; supplementary: boolean; overrides: Record<string, string> }>(SETTLEMENT_RUN_JOB, async (data, progress) => {
      progress(0, 1);
      const r = await runs.run(data.actor as Actor, data.period, { supplementary: data.supplementary, overrides: Object.fromEntries(Object.entries(data.overrides ?? {}).map(([k, v]) => [Number(k), v])) });
      progress(1, 1);
      return {
        message: r.created ? 'settlement:flash.batchCreated' : 'settlement:flash.batchRecomputed',
        params: { id: r.batchId, count: r.lineCount, total: formatYuan(r.totalPay), seconds: r.seconds.toFixed(1) },
        link: { href: `/settlement/batches/${r.batchId}`, label: 'jobs:link.batch' },
      };
    });
  }
}
