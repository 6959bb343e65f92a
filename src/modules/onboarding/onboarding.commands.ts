import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { SYSTEM_ACTOR } from '../../core/auth/actor';
import { PartnerImportService } from './partner-import.service';
import { TierReviewService } from './tier-review.service';

@Injectable()
@SubCommand({ name: 'import', arguments: '<file>', description: 'import the existing partner base from CSV (all or nothing): ' + 'code,name,credit_code,cooperation_type,tier,region,contact_name,contact_phone,contact_email,bank_name,bank_account,status' })
export class PartnersImportCommand extends CommandRunner {
  constructor(private readonly importer: PartnerImportService) { super(); }
  async run([file]: string[]): Promise<void> {
    const started = Date.now();
    console.log(`Checking ${file} …`);
    const r = await this.importer.import(SYSTEM_ACTOR, readFileSync(file), (done, total) => console.log(`  ${done}/${total} partners written`));
    console.log(`Imported ${r.imported} partner(s): ${r.active} active, ${r.suspended} suspended; certifications ${r.firstCertificationId} … ${r.lastCertificationId} (${((Date.now() - started) / 1000).toFixed(1)} s).`);
  }
}

@Injectable()
@SubCommand({ name: 'tiers', description: 'tier re-evaluation from the last four confirmed quarterly scores' })
export class PartnersTiersCommand extends CommandRunner {
  constructor(private readonly tiers: TierReviewService) { super(); }
  async run(_: string[], opts: { propose?: boolean }): Promise<void> {
    if (opts.propose) {
      const r = await this.tiers.propose(SYSTEM_ACTOR, { onProgress: (done, total) => { if (done % 500 === 0 || done === total) console.log(`  ${done}/${total} partners examined`); } });
      console.log(`Examined ${r.examined} partner(s): ${r.proposed} new proposal(s), ${r.unchanged} stay in their tier, ${r.withoutScores} without confirmed scores.`);
    }
    const pending = (await this.tiers.pending()) as { code: string; name: string; currentTier: string | null; proposedTier: string; averageScore: string }[];
    if (!pending.length) { console.log('No pending tier proposals.'); return; }
    console.log(`${pending.length} pending proposal(s) (accept or override on /onboarding/tiers):`);
    for (const p of pending) console.log(`  ${p.code.padEnd(12)} ${String(p.currentTier ?? '-')} -> ${p.proposedTier}  average ${p.averageScore}  ${p.name}`);
  }
  @Option({ flags: '--propose', description: 'compute new proposals before listing the pending ones' }) parsePropose() { return true; }
}

@Injectable()
@Command({ name: 'partners', description: 'partner register: import, tiers', subCommands: [PartnersImportCommand, PartnersTiersCommand] })
export class PartnersCommand extends CommandRunner {
  async run(): Promise<void> {
    console.log('Use a subcommand: partners import FILE | partners tiers [--propose]');
  }
}

export const ONBOARDING_COMMANDS = [PartnersCommand, PartnersImportCommand, PartnersTiersCommand];
