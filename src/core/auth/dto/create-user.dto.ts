import { ApiHideProperty, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, Length, Matches } from 'class-validator';
import { FormDto } from '../../web/form.dto';
import { Role, ROLES } from '../actor';

/** A new login is an invitation: no password here — the person sets it through the link mailed to them. */
export class CreateUserDto extends FormDto {
  @ApiProperty() @Matches(/^[a-z0-9._-]{3,64}$/, { message: 'auth:errors.username' })
  username: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200)
  displayName?: string;

  @ApiProperty() @IsEmail({}, { message: 'auth:errors.email' }) @Length(3, 254, { message: 'auth:errors.email' })
  email: string;

  @ApiProperty({ enum: ROLES }) @IsIn(ROLES as unknown as string[])
  role: Role;

  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt()
  partnerId?: number;
}

export class LoginDto {
  @ApiProperty() @IsString() @Length(1, 64) username: string;
  @ApiProperty() @IsString() @Length(1, 200) password: string;
  @ApiPropertyOptional({ description: 'TOTP code, when the account has a second factor' }) @IsOptional() @IsString() @Length(0, 12) code?: string;
}

export class ForgotPasswordDto extends FormDto {
  @ApiProperty({ description: 'username or e-mail address' }) @IsString() @Length(1, 254, { message: 'auth:forgot.required' }) login: string;
}

export class SetPasswordDto extends FormDto {
  @ApiProperty() @IsString() @Length(1, 400) password: string;
  @ApiProperty() @IsString() @Length(0, 400) passwordConfirm: string;
  /** the set-password page names the account in a hidden field for password managers; ignored */
  @ApiHideProperty() @IsOptional() @IsString() @Length(0, 200) username?: string;
}

export class ChangePasswordDto extends SetPasswordDto {
  @ApiProperty() @IsString() @Length(1, 400, { message: 'auth:account.wrongCurrent' }) currentPassword: string;
}

export class MfaCodeDto extends FormDto {
  @ApiProperty() @IsString() @Length(1, 12, { message: 'auth:mfa.wrongCode' }) code: string;
}
