import { Module } from '@nestjs/common';

/** onboarding: see README module map. */
@Module({})
export class OnboardingModule {}
