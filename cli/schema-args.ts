import { parseTarget, type Target } from './target-args';
import { defaultConfigFile, usage } from './usage';

/** `dbdeck drift` (one environment against its migrations) and `dbdeck diff` (two environments). */
export type SchemaArgs =
  | { command: 'drift'; target: Target; json: boolean; scratchUrl?: string }
  | { command: 'diff'; config: string; project: string; env: string; against: string; json: boolean; scratchUrl?: string };

interface SchemaOptionValues {
  [option: string]: string | boolean | undefined;
  project?: string;
  env?: string;
  config?: string;
  against?: string;
  'scratch-url'?: string;
  json: boolean;
}

const OTHER_OPTIONS = [
  'to',
  'steps',
  'profile',
  'mode',
  'tag',
  'yes',
  'email',
  'name',
  'role',
  'password-stdin',
  'from',
  'to-project',
  'tables',
  'mask',
  'no-mask',
];

export function schemaArgs(command: 'drift' | 'diff', values: SchemaOptionValues, extra: string[]): SchemaArgs {
  if (extra.length > 0) usage(`unexpected argument "${extra[0]}"`);
  for (const option of OTHER_OPTIONS) if (values[option] !== undefined && values[option] !== false) usage(`--${option} does not go with ${command}`);
  const scratchUrl = values['scratch-url'];
  if (scratchUrl !== undefined && !/^postgres(ql)?:\/\//i.test(scratchUrl))
    usage('--scratch-url must be a postgres:// URL of a server where dbdeck may create (and drop) a scratch database');
  if (command === 'drift') {
    if (values.against !== undefined) usage('--against goes with diff; drift compares an environment with its own migrations');
    return { command, target: parseTarget(values), json: values.json, scratchUrl };
  }
  if (values.url !== undefined || values.dialect !== undefined || values.migrations !== undefined)
    usage('diff compares two environments of the config: --project P --env E --against E2');
  if (!values.project || !values.env || !values.against) usage('diff needs --project P --env E --against E2');
  if (values.env === values.against) usage(`--env and --against are both "${values.env}"; name two environments`);
  return {
    command,
    config: values.config ?? defaultConfigFile(),
    project: values.project,
    env: values.env,
    against: values.against,
    json: values.json,
    scratchUrl,
  };
}
