import { route } from '@/lib/auth/route';
import { viewOperation } from '@/lib/server/operation-view';
import { operationRef } from '@/lib/server/schemas';

/** An operation's state and progress: for API clients, and polled by the console (with its session cookie) while it runs. */
export const GET = route({ action: 'operations.view', permission: 'environments.view', schema: operationRef, read: true }, ({ id }) => viewOperation(id));
