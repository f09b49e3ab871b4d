import { Badge } from '@/components/ui/badge';
import { Timestamp } from '@/components/timestamp';
import type { Role } from '@/lib/control/schema';
import { RevokeTokenButton } from './revoke-token-button';

/** What the tokens page needs of a token: never its hash. */
export interface TokenListing {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  createdByEmail: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const COLUMNS = ['Name', 'Prefix', 'Role', 'Created by', 'Created (UTC)', 'Last used (UTC)', 'Status', ''] as const;

export function TokensTable({ tokens }: { tokens: TokenListing[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="w-full min-w-[56rem] divide-y divide-slate-200 text-sm">
        <caption className="sr-only">API tokens, newest first</caption>
        <thead className="bg-slate-50">
          <tr>
            {COLUMNS.map((column, i) => (
              <th key={i} scope="col" className="px-4 py-2.5 text-left text-xs font-medium tracking-wide text-slate-500 uppercase">
                {column || <span className="sr-only">Revoke</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {tokens.map((token) => (
            <tr key={token.id} data-testid={`token-row-${token.name}`} className="align-top">
              <th scope="row" className="px-4 py-3 text-left font-medium text-slate-900">
                {token.name}
              </th>
              <td className="px-4 py-3 font-mono text-xs text-slate-700">{token.prefix}…</td>
              <td className="px-4 py-3 text-slate-700">{token.role}</td>
              <td className="px-4 py-3 break-all text-slate-700">{token.createdByEmail}</td>
              <td className="px-4 py-3 text-slate-600">
                <Timestamp value={token.createdAt} />
              </td>
              <td className="px-4 py-3 text-slate-600">{token.lastUsedAt ? <Timestamp value={token.lastUsedAt} /> : 'never'}</td>
              <td className="px-4 py-3" data-testid="token-status">
                {token.revokedAt ? (
                  <span className="space-y-1">
                    <Badge tone="red">revoked</Badge>
                    <span className="block text-xs text-slate-500">
                      <Timestamp value={token.revokedAt} />
                    </span>
                  </span>
                ) : (
                  <Badge tone="green">live</Badge>
                )}
              </td>
              <td className="px-4 py-3">{!token.revokedAt && <RevokeTokenButton id={token.id} name={token.name} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
