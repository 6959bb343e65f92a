import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobWork } from '../../core/jobs/job-work.service';
import { NotificationEvents } from './notification-events.service';

/** An import a person started from a page tells them when it ends (finished with its count, or failed with the reason). */
@Injectable()
export class WorkEndedListener implements OnModuleInit {
  constructor(private readonly work: JobWork, private readonly events: NotificationEvents) {}

  onModuleInit(): void {
    this.work.onEnded(async ({ jobId, queue, startedBy, result }, m) => {
      if (startedBy <= 0 || !queue.includes('import')) return; // imports (the kinds say 导入); a run or a checklist has its own page
      const rows = Number(result.params?.lines ?? result.params?.rows ?? result.params?.count ?? result.params?.records ?? result.params?.customers);
      await this.events.importFinished({
        jobId, userId: startedBy, what: `jobs:queue.${queue}`, ok: result.ok,
        rows: Number.isFinite(rows) ? rows : undefined, error: result.ok ? undefined : result.message, link: result.ok ? result.link?.href : undefined,
      }, m);
    });
  }
}
