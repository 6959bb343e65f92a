import { Module } from '@nestjs/common';

/** violations: see README module map. */
@Module({})
export class ViolationsModule {}
