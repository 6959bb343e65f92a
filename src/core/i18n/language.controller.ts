import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { Actor } from '../auth/actor';
import { Public } from '../auth/roles.decorator';
import { LANGUAGES } from './i18n';
import { LANGUAGE_COOKIE } from './language.middleware';

export class LanguageDto {
  @IsIn([...LANGUAGES]) lang: string;
  @IsOptional() @IsString() @MaxLength(2000) next?: string;
}

/** The header's language switch: remembered in a cookie, and as the user's preference when signed in. */
@ApiTags('language')
@Controller()
export class LanguageController {
  constructor(private readonly db: DataSource) {}

  @Post('language')
  @Public()
  async switch(@Body() dto: LanguageDto, @Req() req: Request, @Res() res: Response) {
    const user = req.user as Actor | undefined;
    if (user) await this.db.query(`UPDATE user_account SET locale = $1 WHERE id = $2`, [dto.lang, user.id]);
    res.cookie(LANGUAGE_COOKIE, dto.lang, { httpOnly: true, sameSite: 'lax', maxAge: 365 * 86_400_000, path: '/' });
    const next = typeof dto.next === 'string' && /^\/(?!\/)/.test(dto.next) && !dto.next.includes('\\') ? dto.next : '/';
    if (req.path.startsWith('/api/') || req.headers.accept?.includes('application/json')) res.json({ lang: dto.lang });
    else res.redirect(303, next);
  }
}
