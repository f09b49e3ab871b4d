import 'server-only';
import { copySourcesFor as sources, type CopySource } from '@/lib/policy/copy-sources';
import { copyPreviewFor as preview, type CopyRequest } from '@/lib/runtime/environment-copy';
import { getWorkspace } from '../runtime/console-workspace';
import type { Role } from '../roles';

export type { CopyRequest, CopySource };

/** The console's copy sources and plan, on its workspace (see lib/runtime/environment-copy.ts). */
export const copySourcesFor = (project: string, environment: string): CopySource[] => sources(getWorkspace().config, project, environment);
export const copyPreviewFor = (request: CopyRequest, caller: { role: Role }) => preview(getWorkspace(), request, caller);
