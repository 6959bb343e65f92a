import { Global, Module } from '@nestjs/common';
import { LanguageController } from './language.controller';

@Global()
@Module({ controllers: [LanguageController] })
export class I18nModule {}
