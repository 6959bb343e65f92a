import { Controller, DefaultValuePipe, Get, ParseIntPipe, Query, Render, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Roles } from '../auth/roles.decorator';
import { sendXlsx } from '../export/xlsx.util';
import { buildPager, parseListQuery, plainQuery } from '../web/list-query';
import { AUDIT_LIST, AuditFilter, AuditService } from './audit.service';

const XLSX_MAX_ROWS = 100_000;

@ApiTags('audit')
@Controller()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** The audit log page: filter, sort by column, numbered pages, and the same list as Excel (`?format=xlsx`). */
  @Get('admin/audit')
  @Roles('admin')
  async page(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const q = plainQuery(query);
    const filter: AuditFilter = { actor: q.actor?.slice(0, 64), action: q.action?.slice(0, 64), entityType: q.entityType?.slice(0, 64), q: q.q?.slice(0, 200) };
    if (query.format === 'xlsx') {
      const all = await this.audit.page(filter, { ...parseListQuery(query, AUDIT_LIST), offset: 0, size: XLSX_MAX_ROWS });
      await sendXlsx(res, `${req.t('admin:audit.title')}.xlsx`, {
        title: req.t('admin:audit.title'), exportedAtLabel: req.t('common:list.exportedAt'),
        filters: Object.entries(filter).filter(([, v]) => v).map(([k, v]) => [req.t(`admin:audit.filter.${k}`), String(v)]),
        columns: [
          { header: req.t('admin:audit.col.at'), key: 'at', kind: 'datetime', width: 18 },
          { header: req.t('admin:audit.col.actor'), key: 'actorLabel' },
          { header: req.t('admin:audit.col.action'), key: 'action', width: 24 },
          { header: req.t('admin:audit.col.entity'), key: 'entity', width: 24 },
          { header: req.t('admin:audit.col.reason'), key: 'reason', width: 30 },
          { header: req.t('admin:audit.col.before'), key: 'before', width: 40 },
          { header: req.t('admin:audit.col.after'), key: 'after', width: 40 },
        ],
        rows: all.rows.map((r) => ({ ...r, at: r.at, entity: `${r.entityType} ${r.entityId}`, before: r.before ? JSON.stringify(r.before) : '', after: r.after ? JSON.stringify(r.after) : '' })),
      });
      return;
    }
    const list = parseListQuery(query, AUDIT_LIST);
    const [{ rows, total }, entityTypes] = await Promise.all([this.audit.page(filter, list), this.audit.entityTypes()]);
    res.render('admin/audit', { title: 'admin:audit.title', entries: rows, filter, entityTypes, list, pager: buildPager(total, list, '/admin/audit', query) });
  }

  @Get('api/audit')
  @Roles('admin')
  async list(@Query('page', new DefaultValuePipe(1), ParseIntPipe) page: number) {
    return this.audit.recent(100, (Math.max(1, page) - 1) * 100);
  }
}
