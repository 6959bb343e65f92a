import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { Roles } from '../../core/auth/roles.decorator';
import { parseListQuery, plainQuery } from '../../core/web/list-query';
import { AnswerSupportRequestDto, CreateSupportRequestDto, RateSupportRequestDto } from './support.dto';
import { parseSupportFilter, SUPPORT_LIST, SupportService } from './support.service';

/** Support requests (政策支持): partners ask and rate; channel managers and admins answer; a partner sees only its own. */
@ApiTags('support')
@Controller('api/support-requests')
export class SupportApiController {
  constructor(private readonly support: SupportService) {}

  /** The queue (staff: every partner's, open first, better tiers first, earliest due first) or the partner's own. */
  @Get()
  @Roles('admin', 'channel_manager', 'partner')
  @ApiQuery({ name: 'status', required: false, enum: ['open', 'answered', 'closed'] }) @ApiQuery({ name: 'kind', required: false })
  @ApiQuery({ name: 'partnerId', required: false }) @ApiQuery({ name: 'tier', required: false, enum: ['A', 'B', 'C'] })
  @ApiQuery({ name: 'overdue', required: false, enum: ['1'] }) @ApiQuery({ name: 'sort', required: false }) @ApiQuery({ name: 'page', required: false })
  async list(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>) {
    const { rows, total } = await this.support.page(actor, parseSupportFilter(plainQuery(query)), parseListQuery(query, SUPPORT_LIST));
    return { rows, total };
  }

  @Get(':id')
  @Roles('admin', 'channel_manager', 'partner')
  get(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return this.support.getForActor(actor, id);
  }

  @Post()
  @Roles('partner')
  create(@CurrentUser() actor: Actor, @Body() dto: CreateSupportRequestDto) {
    return this.support.create(actor, dto);
  }

  @Post(':id/answer')
  @HttpCode(200)
  @Roles('admin', 'channel_manager')
  answer(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: AnswerSupportRequestDto) {
    return this.support.answer(actor, id, dto.answer);
  }

  @Post(':id/rating')
  @HttpCode(200)
  @Roles('partner')
  rate(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: RateSupportRequestDto) {
    return this.support.rate(actor, id, dto.rating, dto.comment);
  }
}
