import { ApiHideProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Min } from 'class-validator';
import { CUSTOMER_CLASSES, CUSTOMER_STAGES } from '../customer-rules.util';

export class CustomerQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 100) region?: string;
  @ApiPropertyOptional({ enum: CUSTOMER_CLASSES }) @IsOptional() @IsIn([...CUSTOMER_CLASSES, '']) customerClass?: string;
  @ApiPropertyOptional({ enum: CUSTOMER_STAGES }) @IsOptional() @IsIn([...CUSTOMER_STAGES, '']) stage?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) partnerId?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 100) q?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) page?: number;
}

/** HTML forms post the CSRF token as the `_csrf` field; it is accepted (and ignored) by form DTOs. */
export class FormDto {
  @ApiHideProperty() @IsOptional() @IsString() _csrf?: string;
}

export class ReassignDto extends FormDto {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) partnerId?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) managerUserId?: number;
  @IsISO8601({ strict: true }) effectiveOn: string;
  @IsString() @Length(1, 500) reason: string;
}

export class ChangeStageDto extends FormDto {
  @IsIn(CUSTOMER_STAGES) stage: string;
  @IsISO8601({ strict: true }) effectiveOn: string;
  @IsString() @Length(1, 500) reason: string;
}

/** The page form picks a holder from one list: "p:<partnerId>" or "m:<managerUserId>". */
export class ReassignFormDto extends FormDto {
  @IsString() @Length(3, 20) holder: string;
  @IsISO8601({ strict: true }) effectiveOn: string;
  @IsString() @Length(1, 500) reason: string;
}
