import 'server-only';
import { copyPreviewFor as preview, copySourcesFor as sources, type CopyRequest, type CopySource } from '@/lib/runtime/copy';
import { getWorkspace } from './workspace';

export type { CopyRequest, CopySource };

/** The console's copy sources and plan, on its workspace (see lib/runtime/copy.ts). */
export const copySourcesFor = (project: string, environment: string): CopySource[] => sources(getWorkspace(), project, environment);
export const copyPreviewFor = (request: CopyRequest) => preview(getWorkspace(), request);
