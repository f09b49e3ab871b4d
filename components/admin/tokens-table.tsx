import { Badge } from '@/components/ui/badge';
import { Timestamp } from '@/components/timestamp';
import { Table, TableBody, TableCaption, TableCell, TableColumnHeaders, TableRowHeader } from '@/components/ui/table';
import type { Role } from '@/lib/control/schema';
import { tokenStatus } from '@/lib/control/tokens';
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
  /** null: never expires. */
  expiresAt: Date | null;
}

const COLUMNS = [
  'Name',
  'Prefix',
  'Role',
  'Created by',
  'Created (UTC)',
  'Last used (UTC)',
  'Expires (UTC)',
  'Status',
  { key: 'revoke', label: <span className="sr-only">Revoke</span> },
];

/** `now`: the time the page was rendered on the server, so that "expired" is the server's word. */
export function TokensTable({ tokens, now }: { tokens: TokenListing[]; now: Date }) {
  return (
    <Table className="min-w-[56rem]">
      <TableCaption>API tokens, newest first</TableCaption>
      <TableColumnHeaders columns={COLUMNS} />
      <TableBody>
        {tokens.map((token) => (
          <tr key={token.id} data-testid={`token-row-${token.name}`} className="align-top">
            <TableRowHeader>{token.name}</TableRowHeader>
            <TableCell className="font-mono text-xs text-slate-700">{token.prefix}…</TableCell>
            <TableCell className="text-slate-700">{token.role}</TableCell>
            <TableCell className="break-all text-slate-700">{token.createdByEmail}</TableCell>
            <TableCell className="text-slate-600">
              <Timestamp value={token.createdAt} />
            </TableCell>
            <TableCell className="text-slate-600">{token.lastUsedAt ? <Timestamp value={token.lastUsedAt} /> : 'never'}</TableCell>
            <TableCell className="text-slate-600" data-testid="token-expires">
              {token.expiresAt ? <Timestamp value={token.expiresAt} /> : 'never'}
            </TableCell>
            <TableCell data-testid="token-status">
              {token.revokedAt ? (
                <span className="space-y-1">
                  <Badge tone="red">revoked</Badge>
                  <span className="block text-xs text-slate-500">
                    <Timestamp value={token.revokedAt} />
                  </span>
                </span>
              ) : tokenStatus(token, now) === 'expired' ? (
                <Badge tone="red">expired</Badge>
              ) : (
                <Badge tone="green">live</Badge>
              )}
            </TableCell>
            <TableCell>{!token.revokedAt && <RevokeTokenButton id={token.id} name={token.name} />}</TableCell>
          </tr>
        ))}
      </TableBody>
    </Table>
  );
}
