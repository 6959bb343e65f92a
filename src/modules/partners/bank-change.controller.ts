import { Body, Controller, Param, ParseIntPipe, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { AnyRole, Roles } from '../../core/auth/roles.decorator';
import { FormDto } from '../../core/web/form.dto';
import { BankChangeService } from './bank-change.service';

export class BankChangeForm extends FormDto {
  @IsString() @MaxLength(200) bankName: string;
  @IsString() @MaxLength(200) bankAccountName: string;
  @IsString() @MaxLength(40) bankAccountNo: string;
  @IsString() @MaxLength(2000) reason: string;
}

export class BankDecisionForm extends FormDto {
  @IsIn(['approve', 'reject']) decision: string;
  @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

/** Bank-account changes on the partner page: anyone who may see the partner requests; finance or an admin (not the requester) decides. */
@ApiExcludeController()
@Controller('partners/:id/bank-change')
export class BankChangeController {
  constructor(private readonly changes: BankChangeService) {}

  @Post()
  @AnyRole()
  async request(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() body: BankChangeForm, @Req() req: Request, @Res() res: Response) {
    await this.changes.request(actor, id, body);
    req.flash('success', 'money:bank.requested');
    res.redirect(303, `/partners/${id}`);
  }

  @Post(':changeId/decide')
  @Roles('admin', 'finance')
  async decide(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Param('changeId', ParseIntPipe) changeId: number, @Body() body: BankDecisionForm, @Req() req: Request, @Res() res: Response) {
    await this.changes.decide(actor, id, changeId, body.decision as 'approve' | 'reject', body.note ?? '');
    req.flash('success', body.decision === 'approve' ? 'money:bank.approved' : 'money:bank.rejected');
    res.redirect(303, `/partners/${id}`);
  }
}
