'use server';

import { action } from '@/lib/auth/action';
import { addUser as insertUser, changeUserRole, makeSsoOnly, setUserDisabled } from '@/lib/control/users';
import { newUserSchema, userRefSchema, userRoleSchema } from '@/lib/server/admin-schemas';
import { getControlDb } from '@/lib/runtime/console-control-store';

/** Server actions of /admin/users; each goes through the guard (permission, validation, audit). */

const answerOf = (user: { email: string; role: string; disabledAt: Date | null }) => ({
  email: user.email,
  role: user.role,
  disabled: user.disabledAt !== null,
});

export const addUser = action(
  { action: 'users.add', permission: 'users.manage', schema: newUserSchema, scope: (input) => ({ details: { target: input.email, role: input.role } }) },
  async (input) => answerOf(await insertUser(await getControlDb(), input)),
);

export const changeRole = action(
  {
    action: 'users.change-role',
    permission: 'users.manage',
    schema: userRoleSchema,
    scope: (input) => ({ details: { target: input.email, role: input.role } }),
  },
  async (input, user) => answerOf(await changeUserRole(await getControlDb(), input, user.userId)),
);

export const disableUser = action(
  { action: 'users.disable', permission: 'users.manage', schema: userRefSchema, scope: (input) => ({ details: { target: input.email } }) },
  async (input, user) => answerOf(await setUserDisabled(await getControlDb(), { email: input.email, disabled: true }, user.userId)),
);

export const enableUser = action(
  { action: 'users.enable', permission: 'users.manage', schema: userRefSchema, scope: (input) => ({ details: { target: input.email } }) },
  async (input, user) => answerOf(await setUserDisabled(await getControlDb(), { email: input.email, disabled: false }, user.userId)),
);

/** The admin's explicit link to single sign-on: single sign-on never takes an account by e-mail. */
export const makeUserSsoOnly = action(
  { action: 'users.sso-only', permission: 'users.manage', schema: userRefSchema, scope: (input) => ({ details: { target: input.email } }) },
  async (input, user) => answerOf(await makeSsoOnly(await getControlDb(), input, user.userId)),
);
