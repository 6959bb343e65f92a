import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { EntityManager } from 'typeorm';
import { DeductionFact, IndicatorMethod, PartnerFacts } from './score.util';

interface DutiesContract {
  completionFor(partnerId: number, period: string, manager?: EntityManager): Promise<{ required: number; fulfilled: number }>;
  complaintTimeliness(partnerId: number, period: string, manager?: EntityManager): Promise<{ total: number; onTime: number }>;
  recordTimeliness(partnerId: number, period: string, manager?: EntityManager): Promise<{ total: number; onTime: number }>;
}
interface ViolationsContract {
  deductionsFor(partnerId: number, period: string, manager?: EntityManager): Promise<DeductionFact[]>;
}

/**
 * Gathers the facts behind the auto and deduction indicators from the duties and violations modules
 * (only what the scheme uses). The single place scoring talks to those modules.
 */
@Injectable()
export class ScoringInputsService {
  constructor(private readonly moduleRef: ModuleRef) {}

  async factsFor(partnerId: number, period: string, methods: IndicatorMethod[], manager?: EntityManager): Promise<PartnerFacts> {
    const facts: PartnerFacts = {};
    const duties = this.duties();
    if (methods.includes('auto_duty_completion')) facts.completion = duties ? await duties.completionFor(partnerId, period, manager) : { required: 0, fulfilled: 0 };
    if (methods.includes('auto_complaint_timeliness')) facts.complaints = duties ? await duties.complaintTimeliness(partnerId, period, manager) : { total: 0, onTime: 0 };
    if (methods.includes('auto_record_timeliness')) facts.records = duties ? await duties.recordTimeliness(partnerId, period, manager) : { total: 0, onTime: 0 };
    const violations = this.violations();
    if (methods.includes('deduction')) facts.deductions = violations ? await violations.deductionsFor(partnerId, period, manager) : [];
    return facts;
  }

  // TEMPORARY until the duties/violations services exist: resolved lazily so scoring compiles on its own.
  private duties(): DutiesContract | null {
    return this.resolve<DutiesContract>('../duties/duties.service', 'DutiesService');
  }
  private violations(): ViolationsContract | null {
    return this.resolve<ViolationsContract>('../violations/violations.service', 'ViolationsService');
  }
  private resolve<T>(path: string, name: string): T | null {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const cls = require(path)[name];
      return cls ? this.moduleRef.get(cls, { strict: false }) : null;
    } catch {
      return null;
    }
  }
}
