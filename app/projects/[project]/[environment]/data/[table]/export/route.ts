import { downloadRoute } from '@/lib/auth/route';
import { recordAudit } from '@/lib/control/audit';
import { DbdeckError, messageOf } from '@/lib/engine';
import { openCsvDownload } from '@/lib/server/browse';
import { EXPORT_MAX_ROWS, tablePageSchema } from '@/lib/server/browse-query';
import { getControlDb } from '@/lib/runtime/console-control-store';

export const dynamic = 'force-dynamic';

/**
 * CSV of the rows a table page's filters and sort select (its visible columns), streamed as it
 * is read, capped at EXPORT_MAX_ROWS. The guard checks the principal and `data.browse` first;
 * the export itself is audited once it has ended, with how many rows left and whether the cap
 * cut it short.
 */
export const GET = downloadRoute(
  {
    action: 'data.export',
    permission: 'data.browse',
    schema: tablePageSchema,
    read: true,
    scope: ({ project, environment, table }) => ({ project, environment, details: { table } }),
  },
  async ({ project, environment, table, ...query }, principal) => {
    const started = performance.now();
    const download = await openCsvDownload(project, environment, table, query, principal);
    if (!download) throw new DbdeckError('usage', `there is no table "${table}" in ${project} / ${environment}`);
    const lines = download.csv[Symbol.asyncIterator]();
    // The header and the first batch are read before answering: a filter the database refuses
    // is then a 400 with its reason, not a CSV cut off after its header.
    const head: string[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const next = await lines.next();
        if (next.done) break;
        head.push(next.value);
      }
    } catch (error) {
      await download.close();
      throw error;
    }

    const db = await getControlDb();
    let ended = false;
    const end = async (error: string | null) => {
      if (ended) return;
      ended = true;
      await download.close().catch(() => undefined);
      const { rows, capped } = download.csv;
      await recordAudit(db, {
        userId: principal.userId,
        actor: principal.actor,
        role: principal.role,
        action: 'data.export',
        project,
        environment,
        durationMs: performance.now() - started,
        result: error ? 'failed' : 'ok',
        error,
        details: { table, rows, capped, maxRows: EXPORT_MAX_ROWS, filters: download.selection.filters, sort: download.selection.sort },
      }).catch((failure: unknown) => console.error('[dbdeck] cannot audit a CSV export', failure));
    };

    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const line of head) controller.enqueue(encoder.encode(line));
      },
      async pull(controller) {
        try {
          // About 64 kB per chunk rather than one line each.
          let chunk = '';
          for (;;) {
            const next = await lines.next();
            if (next.done) {
              if (chunk) controller.enqueue(encoder.encode(chunk));
              await end(null);
              controller.close();
              return;
            }
            chunk += next.value;
            if (chunk.length >= 65_536) break;
          }
          controller.enqueue(encoder.encode(chunk));
        } catch (error) {
          await end(messageOf(error));
          controller.error(error);
        }
      },
      async cancel() {
        await lines.return?.();
        await end('the download was abandoned before its end');
      },
    });
    const filename = download.filename.replace(/[^\w.-]+/g, '_');
    return new Response(body, {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${filename}"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  },
);
