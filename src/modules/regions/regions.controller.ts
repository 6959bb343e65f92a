import { Body, Controller, Get, Param, ParseIntPipe, Post, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Matches, Min } from 'class-validator';
import { Request, Response } from 'express';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { AnyRole, Roles } from '../../core/auth/roles.decorator';
import { toBoolean, toOptionalInt } from '../../core/web/form-values';
import { RegionsService } from './regions.service';

const toAliases = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(/[,，、\n]/).map((s) => s.trim()).filter(Boolean) : value);

export class AddRegionDto {
  @IsString() @Length(1, 60) name: string;
  @IsOptional() @IsString() @Length(0, 60) nameEn?: string;
  @IsOptional() @Transform(toOptionalInt) @IsInt() @Min(1) parentId?: number;
  @IsOptional() @Transform(({ value }) => (value === '' ? undefined : String(value).toUpperCase())) @Matches(/^[A-Z]{2,6}$/, { message: 'regions:errors.prefix' }) prefix?: string;
  @IsOptional() @Transform(toAliases) @IsString({ each: true }) aliases?: string[];
}

export class UpdateRegionDto {
  @IsString() @Length(1, 60) name: string;
  @IsOptional() @IsString() @Length(0, 60) nameEn?: string;
  @IsOptional() @Transform(toAliases) @IsString({ each: true }) aliases?: string[];
  @IsOptional() @Transform(toBoolean) @IsBoolean() active?: boolean;
}

/** The region reference list: everyone signed in reads it (select boxes); an admin edits it. */
@ApiExcludeController()
@Controller()
export class RegionsController {
  constructor(private readonly regions: RegionsService) {}

  @Get('admin/regions')
  @Roles('admin')
  @Render('regions/list')
  async page() {
    const all = await this.regions.all();
    const prefectures = all.filter((r) => !r.parentId).map((p) => ({ ...p, counties: all.filter((c) => c.parentId === p.id) }));
    return { title: 'regions:title', prefectures };
  }

  @Post('admin/regions')
  @Roles('admin')
  async add(@CurrentUser() actor: Actor, @Body() dto: AddRegionDto, @Req() req: Request, @Res() res: Response) {
    const r = await this.regions.add(actor, dto);
    req.flash('success', 'regions:flash.added', { name: r.name });
    res.redirect(303, '/admin/regions');
  }

  @Post('admin/regions/:id')
  @Roles('admin')
  async update(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: UpdateRegionDto, @Req() req: Request, @Res() res: Response) {
    await this.regions.update(actor, id, { name: dto.name, nameEn: dto.nameEn, aliases: dto.aliases, active: dto.active ?? false });
    req.flash('success', 'regions:flash.updated', { name: dto.name });
    res.redirect(303, '/admin/regions');
  }

  @Get('api/regions')
  @AnyRole()
  list() {
    return this.regions.tree();
  }
}
