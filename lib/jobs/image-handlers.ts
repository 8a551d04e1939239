/** The handlers of image automation: scanning images and committing their updates. */
import type { JobHandlers } from './run-job.ts';
import type { ImageServices } from './scan-image.ts';
import { scanImageHandler } from './scan-image.ts';
import type { UpdateServices } from './update.ts';
import { updateHandler } from './update.ts';

export function imageAutomationHandlers(services: ImageServices & UpdateServices): JobHandlers {
  return { 'scan-image': scanImageHandler(services), update: updateHandler(services) };
}
