import { Body, Controller, Get, Headers, HttpCode, NotFoundException, Param, ParseIntPipe, Post, Put, Query, Req, Res, UnsupportedMediaTypeException } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { RuleViolation } from '../../core/web/errors';
import { CustomersService } from '../customers/customers.service';
import { SettlementBatchService } from '../settlement/settlement-batch.service';
import { bodyFormat } from './accrual-body.util';
import { AccrualsApiService } from './accruals-api.service';
import { Service, ServiceScope } from './bearer.guard';
import { validIdempotencyKey } from './idempotency.service';
import * as Q from './queries/api-read.sql';
import { serviceActor, ServicePrincipal } from './service-accounts.service';

const PAGE = 100;
const limitOf = (v: unknown) => Math.min(1000, Math.max(1, Number(v) || PAGE));
const enc = (v: string | number) => Buffer.from(String(v)).toString('base64url');
const dec = (v: unknown) => (typeof v === 'string' && v ? Buffer.from(v, 'base64url').toString('utf8') : null);
const EXAMPLE_LINE = { partner_code: 'GY-0001', customer_code: 'C-520100-0001', product: '专线', accrual_date: '2026-07-15', amount: '1280.00', reference: 'BOSS-2026Q3-000001' };

/** The versioned machine API: bearer tokens of service accounts, RFC 9457 problem details, keyset pagination. */
@ApiTags('api v1 (service accounts)')
@Controller('api/v1')
export class ApiV1Controller {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly accruals: AccrualsApiService, private readonly customers: CustomersService, private readonly batches: SettlementBatchService) {}

  @Post('accruals')
  @ServiceScope('accruals:write')
  @ApiOperation({ summary: 'Import accrual lines for a period (all or nothing, idempotent)', description: 'Body: JSON array, NDJSON or CSV (UTF-8), up to 1,000,000 lines, streamed. Bodies over 2 MB (or chunked, or with `Prefer: respond-async`) are accepted as a job: 202 with a status URL.' })
  @ApiQuery({ name: 'period', example: '2026Q3' })
  @ApiHeader({ name: 'Idempotency-Key', required: true, example: 'boss-2026Q3-run-17' })
  @ApiConsumes('application/json', 'application/x-ndjson', 'text/csv')
  @ApiBody({ schema: { type: 'array', items: { type: 'object' }, example: [EXAMPLE_LINE] } })
  @ApiResponse({ status: 201, schema: { example: { importId: 42, period: '2026Q3', lineCount: 1, total: '1280.00' } } })
  @ApiResponse({ status: 202, schema: { example: { status: 'accepted', jobId: '5c1e…', statusUrl: '/api/v1/accruals/jobs/5c1e…' } } })
  @ApiResponse({ status: 409, description: 'Same Idempotency-Key with a different body' })
  @ApiResponse({ status: 422, content: { 'application/problem+json': { example: { type: 'https://portal.example/problems/validation-failed', title: '数据未通过校验', status: 422, detail: '文件有 1 处错误，未导入任何数据', code: 'validation_failed', errors: [{ line: 1, field: 'amount', code: 'badAmount', message: '…' }] } } } })
  async postAccruals(@Service() p: ServicePrincipal, @Query('period') period: string, @Headers('idempotency-key') key: string, @Req() req: Request, @Res() res: Response) {
    if (!validIdempotencyKey(key)) throw new RuleViolation('integrations:errors.idempotencyKey', 'Idempotency-Key');
    if (!/^\d{4}Q[1-4]$/.test(period ?? '')) throw new RuleViolation('integrations:errors.period', 'period');
    const format = bodyFormat(req.headers['content-type']);
    if (!format) throw new UnsupportedMediaTypeException({ message: 'integrations:errors.mediaType', code: 'unsupported_media_type' });
    const length = req.headers['content-length'] ? Number(req.headers['content-length']) : null;
    const r = await this.accruals.submit(p, key, period, req, format, length, /respond-async/i.test(String(req.headers.prefer ?? '')));
    if (r.status === 202) res.setHeader('Location', (r.body as { statusUrl: string }).statusUrl);
    res.status(r.status).json(r.body);
  }

  @Get('accruals/jobs/:id')
  @ServiceScope('accruals:write')
  @ApiOperation({ summary: 'Status of an accrual import accepted as a job' })
  jobStatus(@Service() p: ServicePrincipal, @Param('id') id: string) {
    return this.accruals.jobStatus(p, id);
  }

  @Put('customers/:code')
  @ServiceScope('customers:write')
  @ApiOperation({ summary: 'Create or update a customer (class, stage, holder with an effective date)' })
  @ApiBody({ schema: { example: { name: '贵州某某科技有限公司', industry: '制造业', region: '贵阳市', customerClass: 'A', stage: 'development', partnerCode: 'GY-0001', effectiveOn: '2026-07-01', reason: 'CRM 同步' } } })
  async putCustomer(@Service() p: ServicePrincipal, @Param('code') code: string, @Body() body: Record<string, string>, @Res({ passthrough: true }) res: Response) {
    if (!/^[A-Za-z0-9-]{1,40}$/.test(code)) throw new RuleViolation('integrations:errors.code', 'code');
    const r = await this.customers.upsert(serviceActor(p), { ...body, code } as never);
    res.status(r.created ? 201 : 200);
    const c = r.customer;
    return { code: c.code, name: c.name, industry: c.industry, region: c.region, customerClass: c.customerClass, stage: c.stage, created: r.created };
  }

  @Get('partners')
  @ServiceScope('settlement:read', 'payouts:read', 'customers:write', 'accruals:write')
  @ApiOperation({ summary: 'Partners by code (cursor pagination)' })
  async partners(@Query('cursor') cursor?: string, @Query('status') status?: string, @Query('limit') limit?: string) {
    const n = limitOf(limit);
    const rows = await this.db.query(Q.PARTNERS_PAGE, [dec(cursor), status || null, n + 1]);
    return page(rows as Record<string, string>[], n, (r) => enc(r.code));
  }

  @Get('partners/:code')
  @ServiceScope('settlement:read', 'payouts:read', 'customers:write', 'accruals:write')
  async partner(@Param('code') code: string) {
    const [row] = await this.db.query(Q.PARTNER_BY_CODE, [code, null, 1]);
    if (!row) throw new NotFoundException({ message: 'partners:errors.notFound' });
    return row;
  }

  @Get('settlement/batches')
  @ServiceScope('settlement:read', 'payouts:read')
  @ApiOperation({ summary: 'Settlement batches, e.g. ?status=approved (cursor pagination by id)' })
  async batchList(@Query('cursor') cursor?: string, @Query('status') status?: string, @Query('period') period?: string, @Query('limit') limit?: string) {
    const n = limitOf(limit);
    const after = dec(cursor);
    const rows = await this.db.query(Q.BATCHES_PAGE, [after ? Number(after) : null, status || null, period || null, n + 1]);
    return page(rows as Record<string, number>[], n, (r) => enc(r.id));
  }

  @Get('settlement/batches/:id/lines')
  @ServiceScope('settlement:read', 'payouts:read')
  @ApiOperation({ summary: 'Lines of a batch in a stable order (cursor pagination); bank accounts only with payouts:read' })
  async lines(@Service() p: ServicePrincipal, @Param('id', ParseIntPipe) id: number, @Query('cursor') cursor?: string, @Query('limit') limit?: string) {
    const [b] = await this.db.query(Q.BATCH_EXISTS, [id]);
    if (!b) throw new NotFoundException({ message: 'settlement:errors.batchNotFound', params: { id } });
    const n = limitOf(limit);
    const after = dec(cursor);
    const rows = await this.db.query(Q.LINES_PAGE, [id, after ? Number(after) : null, n + 1, p.scopes.includes('payouts:read')]);
    return page(rows as Record<string, number>[], n, (r) => enc(r.id));
  }

  @Post('settlement/batches/:id/payments')
  @ServiceScope('payouts:read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Payment confirmation of an exported batch (idempotent: a paid batch answers its state again)' })
  @ApiBody({ schema: { example: { payments: [{ partner_code: 'GY-0001', paid_amount: '1216.00', paid_on: '2026-10-20', payment_reference: 'ICBC-20261020-0007' }] } } })
  async payments(@Service() p: ServicePrincipal, @Param('id', ParseIntPipe) id: number, @Body() body: { payments?: { partner_code: string; paid_amount: string; paid_on: string; payment_reference: string }[] }) {
    const [b] = await this.db.query(Q.BATCH_EXISTS, [id]);
    if (!b) throw new NotFoundException({ message: 'settlement:errors.batchNotFound', params: { id } });
    if (b.status === 'paid') return { batchId: id, status: 'paid', replayed: true };
    const list = Array.isArray(body?.payments) ? body.payments : [];
    if (!list.length) throw new RuleViolation('integrations:errors.payments', 'payments');
    const q = (v: unknown) => `"${String(v ?? '').replace(/"/g, '""')}"`;
    const csv = ['batch_id,partner_code,paid_amount,paid_on,payment_reference', ...list.map((x) => [id, x.partner_code, x.paid_amount, x.paid_on, x.payment_reference].map(q).join(','))].join('\n') + '\n';
    const r = await this.batches.importPaymentConfirmation(serviceActor(p), csv);
    return { batchId: id, status: 'paid', lines: r.lines, replayed: false };
  }
}

function page<T extends Record<string, unknown>>(rows: T[], n: number, cursorOf: (r: T) => string) {
  const items = rows.slice(0, n);
  return { items, nextCursor: rows.length > n ? cursorOf(items[items.length - 1]) : null };
}
