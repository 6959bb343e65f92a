import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { SYSTEM_ACTOR } from '../../core/auth/actor';
import { cliLanguage, tDeep } from '../../core/i18n/i18n';
import { PARTNER_IMPORT_COLUMNS } from './partner-import.util';
import { PartnerImportService } from './partner-import.service';
import { TierReviewService } from './tier-review.service';

/** Operator messages in the CLI's language (zh-CN unless PORTAL_LANG=en). */
const tr = (key: string, params?: Record<string, unknown>) => tDeep(cliLanguage(), key, params);

@Injectable()
@SubCommand({ name: 'import', arguments: '<file>', description: tr('onboarding:cli.importDescription', { columns: PARTNER_IMPORT_COLUMNS.join(',') }) })
export class PartnersImportCommand extends CommandRunner {
  constructor(private readonly importer: PartnerImportService) { super(); }
  async run([file]: string[]): Promise<void> {
    const started = Date.now();
    console.log(tr('onboarding:cli.checking', { file }));
    const r = await this.importer.import(SYSTEM_ACTOR, readFileSync(file), (done, total) => console.log(tr('onboarding:cli.written', { done, total })));
    console.log(tr('onboarding:cli.imported', { ...r, seconds: ((Date.now() - started) / 1000).toFixed(1) }));
  }
}

@Injectable()
@SubCommand({ name: 'tiers', description: tr('onboarding:cli.tiersDescription') })
export class PartnersTiersCommand extends CommandRunner {
  constructor(private readonly tiers: TierReviewService) { super(); }
  async run(_: string[], opts: { propose?: boolean }): Promise<void> {
    if (opts.propose) {
      const r = await this.tiers.propose(SYSTEM_ACTOR, { onProgress: (done, total) => { if (done % 500 === 0 || done === total) console.log(tr('onboarding:cli.examinedProgress', { done, total })); } });
      console.log(tr('onboarding:flash.proposed', { ...r }));
    }
    const pending = (await this.tiers.pending()) as { code: string; name: string; currentTier: string | null; proposedTier: string; averageScore: string }[];
    if (!pending.length) { console.log(tr('onboarding:cli.noPending')); return; }
    console.log(tr('onboarding:cli.pending', { count: pending.length }));
    for (const p of pending) console.log(`  ${p.code.padEnd(12)} ${String(p.currentTier ?? '-')} -> ${p.proposedTier}  ${tr('onboarding:cli.average', { average: p.averageScore })}  ${p.name}`);
  }
  @Option({ flags: '--propose', description: tr('onboarding:cli.proposeOption') }) parsePropose() { return true; }
}

@Injectable()
@Command({ name: 'partners', description: tr('onboarding:cli.partnersDescription'), subCommands: [PartnersImportCommand, PartnersTiersCommand] })
export class PartnersCommand extends CommandRunner {
  async run(): Promise<void> {
    console.log(tr('onboarding:cli.usage'));
  }
}

export const ONBOARDING_COMMANDS = [PartnersCommand, PartnersImportCommand, PartnersTiersCommand];
