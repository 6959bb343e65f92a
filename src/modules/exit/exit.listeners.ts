import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { SYSTEM_ACTOR } from '../../core/auth/actor';
import { ExitService } from './exit.service';

/** Evaluates the exit rules when a major violation is recorded or a scoring quarter is confirmed. */
@Injectable()
export class ExitListeners {
  private readonly logger = new Logger('Exit');
  constructor(private readonly exits: ExitService) {}

  @OnEvent('violation.recorded', { async: true, promisify: true })
  async onViolation(e: { violationId: number; partnerId: number; severity: string }): Promise<void> {
    if (e.severity !== 'major') return;
    await this.safely(() => this.exits.evaluate(SYSTEM_ACTOR, { partnerIds: [e.partnerId] }));
  }

  @OnEvent('scoring.period-confirmed', { async: true, promisify: true })
  async onPeriodConfirmed(e: { period: string; partnerIds: number[] }): Promise<void> {
    await this.safely(() => this.exits.evaluate(SYSTEM_ACTOR, { period: e.period, partnerIds: e.partnerIds }));
  }

  /** A failed evaluation must not break the caller's request; the command can be re-run (it is idempotent). */
  private async safely(run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (err) {
      this.logger.error(`exit evaluation failed: ${(err as Error).stack}`);
    }
  }
}
