import { Injectable } from '@nestjs/common';
import { ScoringService } from '../scoring/scoring.service';

/** Where tier re-evaluation reads confirmed quarterly scores (newest first). An interface so tests can feed fixtures. */
export abstract class TierScoreSource {
  abstract lastConfirmedScores(partnerId: number, n: number): Promise<{ period: string; scoreY: string }[]>;
}

/** The real source: the scoring module's confirmed score sheets. */
@Injectable()
export class ScoringTierScoreSource extends TierScoreSource {
  constructor(private readonly scoring: ScoringService) { super(); }
  lastConfirmedScores(partnerId: number, n: number) {
    return this.scoring.lastConfirmedScores(partnerId, n);
  }
}
