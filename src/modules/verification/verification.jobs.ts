import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '../../core/auth/actor';
import { JobQueue } from '../../core/jobs/job-queue.service';
import { ScoreSheetService } from '../scoring/score-sheet.service';
import { QUARTER_UNLOCKED_JOB } from '../duties/duties.service';
import { VERIFICATION_REFRESH_SCORE_JOB, VerificationService } from './verification.service';

/**
 * After a record was not confirmed and its duty ticks were taken back, the partner's draft score sheet of that
 * quarter recomputes its automatic indicators (duty completion → Y). A sheet already submitted or confirmed is left
 * alone: changing it is a correction with its own reason, made by a person. Queued in the outcome's transaction.
 */
@Injectable()
export class VerificationJobs {
  constructor(jobs: JobQueue, @InjectDataSource() db: DataSource, sheets: ScoreSheetService, verification: VerificationService) {
    // a quarter unlocked: "not confirmed" outcomes held while it was locked are applied now
    jobs.define<{ period: string }>({
      name: QUARTER_UNLOCKED_JOB, retryLimit: 5, retryDelay: 30,
      handle: async (data) => ({ applied: await verification.applyHeldOutcomes(data.period) }),
    });
    jobs.define<{ partnerId: number; period: string }>({
      name: VERIFICATION_REFRESH_SCORE_JOB, retryLimit: 3, retryDelay: 30,
      handle: async (data) => {
        const drafts: { id: number }[] = await db.query(`SELECT id FROM score_sheet WHERE partner_id = $1 AND period = $2 AND status = 'draft' ORDER BY revision`, [data.partnerId, data.period]);
        for (const s of drafts) await sheets.refresh(SYSTEM_ACTOR, s.id);
        return { refreshed: drafts.length };
      },
    });
  }
}
