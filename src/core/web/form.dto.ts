import { ApiHideProperty } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

/** HTML forms post the CSRF token as the `_csrf` field; it is accepted (and ignored) by form DTOs. */
export abstract class FormDto {
  @ApiHideProperty() @IsOptional() @IsString() _csrf?: string;
}
