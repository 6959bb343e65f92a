import { Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { AppConfig } from '../../core/config/app-config.service';
import { Language, t } from '../../core/i18n/i18n';
import { FIND_VERIFICATION, INSERT_VERIFICATION } from './queries/statement-verification.sql';
import { figuresHash, newVerificationCode, normalizeVerificationCode, statementFigures } from './statement-figures.util';
import { assertFont, renderStatementPdf, StatementFontMissing } from './statement-pdf';
import { StatementService } from './statement.service';

export type VerificationResult =
  | { state: 'invalid' | 'notFound'; code: string }
  | { state: 'match' | 'changed'; code: string; partner: { id: number; code: string; name: string }; period: string; issuedAt: Date; issuedBy: string; totalAtIssue: string; totalNow: string };

/**
 * Statement PDFs (对账单) with a verification code (#16). Issuing is a write (a POST): the code and a hash of the
 * figures shown are stored, and audited; finance looks a code up and sees whether the figures still hold.
 */
@Injectable()
export class StatementPdfService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly statements: StatementService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /** The PDF of one partner's statement for a period; partner users only reach their own (StatementService checks). */
  async issue(actor: Actor, partnerId: number, period: string, lang: Language): Promise<{ pdf: Buffer; fileName: string; code: string }> {
    const font = { path: this.config.get('STATEMENT_PDF_FONT'), face: this.config.get('STATEMENT_PDF_FONT_FACE') };
    try { assertFont(font.path); } catch (e) { throw this.fontError(e); } // before anything is written
    const s = await this.statements.statement(actor, partnerId, period);
    // a code vouches for figures: an empty statement has none to vouch for
    if (!s.groups.length && !s.lines.length) throw new NotFoundException({ message: 'statementPdf:errors.nothingToIssue', params: { period: s.period } });
    const figures = statementFigures(s);
    const code = newVerificationCode();
    const issuedAt = new Date();
    const verifyUrl = `${this.config.get('PUBLIC_URL').replace(/\/+$/, '')}/settlement/verify?code=${code}`;
    let pdf: Buffer;
    try {
      pdf = await renderStatementPdf(s, { lang, operatorName: this.config.get('OPERATOR_NAME'), code, issuedAt, verifyUrl, font });
    } catch (e) { throw this.fontError(e); }
    await this.db.transaction(async (m) => {
      const [{ id }] = await m.query(INSERT_VERIFICATION, [code, partnerId, s.period, figuresHash(figures), JSON.stringify(figures), figures.total, actor.id > 0 ? actor.id : null, actor.username]);
      await this.audit.record(actor, { action: 'settlement.statement.pdf', entityType: 'statement_verification', entityId: id, partnerId, after: { code, period: s.period, totalPay: figures.total } }, m);
    });
    return { pdf, code, fileName: t(lang, 'statementPdf:pdf.fileName', { code: s.partner.code, period: s.period }) };
  }

  /** What a code vouches for, and whether the partner's figures for that period are still the same. */
  async lookup(actor: Actor, raw: unknown): Promise<VerificationResult> {
    const code = normalizeVerificationCode(raw);
    if (!code) return { state: 'invalid', code: typeof raw === 'string' ? raw.slice(0, 40) : '' };
    const [v] = await this.db.query(FIND_VERIFICATION, [code]);
    if (!v) return { state: 'notFound', code };
    const now = statementFigures(await this.statements.statement(actor, v.partner_id, v.period));
    return {
      state: figuresHash(now) === v.figures_hash ? 'match' : 'changed', code,
      partner: { id: v.partner_id, code: v.partner_code, name: v.partner_name }, period: v.period,
      issuedAt: v.issued_at, issuedBy: v.issued_by, totalAtIssue: v.total_pay, totalNow: now.total,
    };
  }

  private fontError(e: unknown): unknown {
    return e instanceof StatementFontMissing ? new ServiceUnavailableException({ message: 'statementPdf:errors.fontMissing', params: { path: e.path } }) : e;
  }
}
