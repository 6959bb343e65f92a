import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ComplaintTimelinessService } from '../complaints/complaint-timeliness.service';
import { DutiesService } from '../duties/duties.service';
import { ViolationsService } from '../violations/violations.service';
import { IndicatorMethod, PartnerFacts } from './score.util';

/**
 * Gathers the facts behind the auto and deduction indicators from the duties, complaints and violations modules
 * (only what the scheme uses). The single place scoring talks to those modules.
 */
@Injectable()
export class ScoringInputsService {
  constructor(private readonly duties: DutiesService, private readonly violations: ViolationsService, private readonly complaints: ComplaintTimelinessService) {}

  async factsFor(partnerId: number, period: string, methods: IndicatorMethod[], manager?: EntityManager): Promise<PartnerFacts> {
    const facts: PartnerFacts = {};
    if (methods.includes('auto_duty_completion')) facts.completion = await this.duties.completionFor(partnerId, period, manager);
    if (methods.includes('auto_complaint_timeliness')) {
      // from the work orders (on time = first resolved before due); a partner without work orders in the quarter keeps
      // the older figure from its handled-complaint service records
      const orders = await this.complaints.ofPartner(partnerId, period, manager);
      facts.complaints = orders.total > 0 ? orders : await this.duties.complaintTimeliness(partnerId, period, manager);
    }
    if (methods.includes('auto_record_timeliness')) facts.records = await this.duties.recordTimeliness(partnerId, period, manager);
    if (methods.includes('deduction')) {
      facts.deductions = (await this.violations.deductionsFor(partnerId, period, manager))
        .map((d) => ({ kindCode: d.kindCode, kindName: d.kindName, count: d.count, points: String(d.points) }));
    }
    return facts;
  }
}
