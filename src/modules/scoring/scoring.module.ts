import { Module } from '@nestjs/common';

/** scoring: see README module map. */
@Module({})
export class ScoringModule {}
