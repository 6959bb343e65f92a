import { Module } from '@nestjs/common';
import { PartnersModule } from '../partners/partners.module';
import { StaffApiController, StaffCoursesApiController } from './staff-api.controller';
import { StaffCoursesPagesController, StaffPagesController } from './staff-pages.controller';
import { StaffDemoSeed } from './staff.demo-seed';
import { StaffMemberDocuments } from './staff.documents';
import { StaffService } from './staff.service';

/** Partner staff, training and certification (#17, seed 003 服务技能及技巧培训, 认证工作标识), with the public check. */
@Module({
  imports: [PartnersModule],
  controllers: [StaffCoursesApiController, StaffApiController, StaffCoursesPagesController, StaffPagesController],
  providers: [StaffService, StaffMemberDocuments, StaffDemoSeed],
  exports: [StaffService],
})
export class StaffModule {}
