import { route } from '@/lib/auth/route';
import { environmentStatusForApi } from '@/lib/server/api';
import { environmentRef, scopeOf } from '@/lib/server/schemas';

export const GET = route(
  { action: 'api.status', permission: 'environments.view', schema: environmentRef, scope: scopeOf, read: true },
  ({ project, environment }) => environmentStatusForApi(project, environment),
);
