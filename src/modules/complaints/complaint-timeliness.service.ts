import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { parsePeriod } from '../../core/period/period.util';
import { RuleViolation } from '../../core/web/errors';
import { addDays } from '../duties/date.util';
import { timelinessRate } from './complaint-rules.util';
import * as Q from './queries/complaints.sql';

export interface TimelinessLine { total: number; onTime: number; rate: number; belowTarget: boolean }

/**
 * Complaint timeliness (投诉处理及时率) from the work orders: of the orders received in the quarter that are resolved or
 * already past due, the share first resolved no later than due — per partner and per region, against the target setting.
 */
@Injectable()
export class ComplaintTimelinessService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private bounds(period: string): [Date, Date, string] {
    let q;
    try { q = parsePeriod(period); } catch { throw new RuleViolation('errors:period.invalid', 'period', { value: period ?? '' }); }
    // the process runs in the business time zone: local midnights are the quarter's edges
    return [new Date(`${q.start}T00:00:00`), new Date(`${addDays(q.end, 1)}T00:00:00`), q.code];
  }

  /** One partner's figure (the scoring indicator can read it: on time / total). */
  async ofPartner(partnerId: number, period: string, manager?: EntityManager, now = new Date()): Promise<{ total: number; onTime: number }> {
    const [from, to] = this.bounds(period);
    const [r] = await (manager ?? this.db.manager).query(Q.TIMELINESS_OF_PARTNER_SQL, [from, to, now, partnerId]);
    return { total: r.total, onTime: r.onTime };
  }

  async report(period: string, target: number, now = new Date()) {
    const [from, to, code] = this.bounds(period);
    const line = <T extends { total: number; onTime: number }>(r: T): T & TimelinessLine => {
      const rate = timelinessRate(r.onTime, r.total);
      return { ...r, rate, belowTarget: r.total > 0 && rate < target };
    };
    const [partners, regions] = await Promise.all([
      this.db.query(Q.TIMELINESS_BY_PARTNER_SQL, [from, to, now]) as Promise<{ partnerId: number; partnerCode: string; partnerName: string; partnerRegion: string; total: number; onTime: number }[]>,
      this.db.query(Q.TIMELINESS_BY_REGION_SQL, [from, to, now]) as Promise<{ region: string; total: number; onTime: number }[]>,
    ]);
    const all = line({ total: partners.reduce((a, r) => a + r.total, 0) + 0, onTime: partners.reduce((a, r) => a + r.onTime, 0) });
    return { period: code, target, partners: partners.map(line), regions: regions.map(line), all };
  }
}
