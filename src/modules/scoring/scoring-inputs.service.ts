import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DutiesService } from '../duties/duties.service';
import { ViolationsService } from '../violations/violations.service';
import { IndicatorMethod, PartnerFacts } from './score.util';

/**
 * Gathers the facts behind the auto and deduction indicators from the duties and violations modules
 * (only what the scheme uses). The single place scoring talks to those modules.
 */
@Injectable()
export class ScoringInputsService {
  constructor(private readonly duties: DutiesService, private readonly violations: ViolationsService) {}

  async factsFor(partnerId: number, period: string, methods: IndicatorMethod[], manager?: EntityManager): Promise<PartnerFacts> {
    const facts: PartnerFacts = {};
    if (methods.includes('auto_duty_completion')) facts.completion = await this.duties.completionFor(partnerId, period, manager);
    if (methods.includes('auto_complaint_timeliness')) facts.complaints = await this.duties.complaintTimeliness(partnerId, period, manager);
    if (methods.includes('auto_record_timeliness')) facts.records = await this.duties.recordTimeliness(partnerId, period, manager);
    if (methods.includes('deduction')) {
      facts.deductions = (await this.violations.deductionsFor(partnerId, period, manager))
        .map((d) => ({ kindCode: d.kindCode, kindName: d.kindName, count: d.count, points: String(d.points) }));
    }
    return facts;
  }
}
