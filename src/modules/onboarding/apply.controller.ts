import { Body, Controller, Get, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Public } from '../../core/auth/roles.decorator';
import { COOPERATION_TYPES } from '../partners/partner.entity';
import { RegionsService } from '../regions/regions.service';
import { ApplicationsService } from './applications.service';
import { ApplicationDto, splitDocumentNames } from './onboarding.dto';

export function toApplicationInput(dto: ApplicationDto) {
  const { _csrf: _t, documentNames, ...rest } = dto;
  return { ...rest, documentNames: splitDocumentNames(documentNames) };
}

@ApiTags('onboarding')
/** A prospective partner applies without an account (CSRF still applies: the form carries the session's token). */
@Controller()
export class ApplyController {
  constructor(private readonly applications: ApplicationsService, private readonly regions: RegionsService) {}

  @Get('apply')
  @Public()
  @Render('onboarding/apply')
  async form() {
    return { title: 'onboarding:apply.titlePublic', types: COOPERATION_TYPES, regions: await this.regions.tree(), publicForm: true, action: '/apply' };
  }

  @Post('apply')
  @Public()
  async submit(@Body() dto: ApplicationDto, @Req() req: Request, @Res() res: Response) {
    // the same answer whether or not the organisation is already registered (see applyPublic)
    const { reference } = await this.applications.applyPublic(toApplicationInput(dto));
    req.flash('success', 'onboarding:flash.applied', { code: reference });
    res.redirect(303, `/apply/thanks?ref=${encodeURIComponent(reference)}`);
  }

  @Get('apply/thanks')
  @Public()
  @Render('onboarding/apply-thanks')
  thanks(@Query('ref') ref?: string) {
    return { title: 'onboarding:thanks.title', ref: typeof ref === 'string' ? ref.slice(0, 20) : '' };
  }

  /** The same application as JSON (no account needed), with the same answer for a new and a registered organisation. */
  @Post('api/onboarding/apply')
  @Public()
  async submitApi(@Body() dto: ApplicationDto) {
    const { reference } = await this.applications.applyPublic(toApplicationInput(dto));
    return { reference, status: 'received' };
  }
}
