import { Controller, DefaultValuePipe, Get, ParseIntPipe, Query, Render } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { AuditService } from './audit.service';

@ApiTags('audit')
@Controller()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('admin/audit')
  @Roles('admin')
  @Render('admin/audit')
  async page(@Query('page', new DefaultValuePipe(1), ParseIntPipe) page: number) {
    const p = Math.max(1, page);
    const entries = await this.audit.recent(100, (p - 1) * 100);
    return { title: 'Audit log', entries, page: p, nextPage: entries.length === 100 ? p + 1 : null, prevPage: p > 1 ? p - 1 : null };
  }

  @Get('api/audit')
  @Roles('admin')
  async list(@Query('page', new DefaultValuePipe(1), ParseIntPipe) page: number) {
    return this.audit.recent(100, (Math.max(1, page) - 1) * 100);
  }
}
