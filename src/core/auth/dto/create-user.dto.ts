import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches } from 'class-validator';
import { Role, ROLES } from '../actor';

export class CreateUserDto {
  @ApiProperty() @Matches(/^[a-z0-9._-]{3,64}$/, { message: 'auth:errors.username' })
  username: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200)
  displayName?: string;

  @ApiProperty({ minLength: 10 }) @IsString() @Length(10, 200, { message: 'auth:errors.passwordLength' })
  password: string;

  @ApiProperty({ enum: ROLES }) @IsIn(ROLES as unknown as string[])
  role: Role;

  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt()
  partnerId?: number;
}

export class LoginDto {
  @ApiProperty() @IsString() @Length(1, 64) username: string;
  @ApiProperty() @IsString() @Length(1, 200) password: string;
}
