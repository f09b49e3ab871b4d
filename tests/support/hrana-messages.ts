/**
 * The Hrana messages a client sends over a WebSocket, read from the bytes a proxy forwards: after
 * the HTTP upgrade, client frames (masked, possibly fragmented) are unmasked and each complete
 * message is named by what it asks: `hello`, or the request's type and id (`batch#4`), in the
 * protocol's JSON (`hrana3`, `hrana2`) or protobuf (`hrana3-protobuf`) encoding.
 */

const REQUEST_TYPES = [
  '',
  '',
  'open_stream',
  'close_stream',
  'execute',
  'batch',
  'open_cursor',
  'close_cursor',
  'fetch_cursor',
  'sequence',
  'describe',
  'store_sql',
  'close_sql',
  'get_autocommit',
];

function varint(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  for (let shift = 0, i = at; i < bytes.length; shift += 7, i++) {
    value += (bytes[i]! & 0x7f) * 2 ** shift;
    if (bytes[i]! < 0x80) return [value, i + 1];
  }
  throw new Error('truncated varint');
}

/** The fields of a protobuf message: number, and for length-delimited ones their bytes; varints their value. */
function* fields(bytes: Uint8Array): Generator<{ field: number; value: number; body: Uint8Array | null }> {
  for (let at = 0; at < bytes.length;) {
    const [key, next] = varint(bytes, at);
    const [field, wire] = [Math.floor(key / 8), key % 8];
    if (wire === 0) {
      const [value, after] = varint(bytes, next);
      yield { field, value, body: null };
      at = after;
    } else if (wire === 2) {
      const [length, start] = varint(bytes, next);
      yield { field, value: length, body: bytes.subarray(start, start + length) };
      at = start + length;
    } else if (wire === 1 || wire === 5) {
      at = next + (wire === 1 ? 8 : 4);
    } else throw new Error(`protobuf wire type ${wire}`);
  }
}

/** What a client message asks, as `hello` or `<request type>#<request id>`. */
export function nameOfMessage(payload: Buffer, binary: boolean): string {
  try {
    if (!binary) {
      const message = JSON.parse(payload.toString('utf8')) as { type?: string; request_id?: number; request?: { type?: string } };
      return message.type === 'request' ? `${message.request?.type}#${message.request_id}` : String(message.type);
    }
    for (const { field, body } of fields(payload)) {
      if (field === 1) return 'hello';
      if (field !== 2 || !body) continue;
      let id = 0;
      let type = '?';
      for (const request of fields(body)) {
        if (request.field === 1) id = request.value;
        else type = REQUEST_TYPES[request.field] ?? `field ${request.field}`;
      }
      return `${type}#${id}`;
    }
  } catch {
    // Not Hrana: named by its size below.
  }
  return `${binary ? 'binary' : 'text'} message of ${payload.length} bytes`;
}

/**
 * Reads one connection's client→server bytes. `push` takes each chunk as it arrives and returns
 * the messages that chunk starts (each as a record whose `name` is filled once the message is
 * whole, perhaps chunks later): a chunk that only continues a message started earlier starts none.
 * Before the upgrade (or on a connection that never upgrades, as PostgreSQL's) every chunk starts
 * one message, named by its first line.
 */
export function clientMessageReader() {
  let upgraded = false;
  let pending = Buffer.alloc(0);
  /** The message being received across frames (fragmented) or chunks (a frame cut by TCP). */
  let current: { record: { name: string }; parts: Buffer[]; binary: boolean } | null = null;

  function push(chunk: Buffer): { name: string }[] {
    if (!upgraded) {
      const text = chunk.toString('latin1');
      const headersEnd = text.indexOf('\r\n\r\n');
      if (/^GET [^\r]*\r\n/.test(text) && /\r\nupgrade: websocket/i.test(text) && headersEnd !== -1) {
        upgraded = true;
        const rest = push(chunk.subarray(headersEnd + 4));
        return [{ name: 'http upgrade' }, ...rest];
      }
      // Not a WebSocket (yet): each chunk counts as a message of its own, named by its first line.
      return [{ name: text.slice(0, Math.min(60, text.indexOf('\r\n') === -1 ? 60 : text.indexOf('\r\n'))) }];
    }
    const started: { name: string }[] = [];
    // A message starts in the chunk that holds its first frame's first byte.
    const start = () => {
      current = { record: { name: '…' }, parts: [], binary: false };
      started.push(current.record);
      return current;
    };
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      if (pending.length < 2) break;
      const opcode = pending[0]! & 0x0f;
      const fin = (pending[0]! & 0x80) !== 0;
      const masked = (pending[1]! & 0x80) !== 0;
      let length = pending[1]! & 0x7f;
      let at = 2;
      if (length === 126) {
        if (pending.length < 4) break;
        length = pending.readUInt16BE(2);
        at = 4;
      } else if (length === 127) {
        if (pending.length < 10) break;
        length = Number(pending.readBigUInt64BE(2));
        at = 10;
      }
      const mask = masked ? pending.subarray(at, at + 4) : null;
      if (masked) at += 4;
      if (pending.length < at + length) break;
      const payload = Buffer.from(pending.subarray(at, at + length));
      if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
      pending = pending.subarray(at + length);
      current ??= start();
      if (opcode >= 0x8) {
        // A control frame (ping, pong, close) may sit between the fragments of a message.
        const control = { 0x8: 'close', 0x9: 'ping', 0xa: 'pong' }[opcode] ?? `control ${opcode}`;
        if (current.parts.length === 0) {
          current.record.name = control;
          current = null;
        } else started.push({ name: control });
        continue;
      }
      if (opcode !== 0) current.binary = opcode === 0x2;
      current.parts.push(payload);
      if (fin) {
        current.record.name = nameOfMessage(Buffer.concat(current.parts), current.binary);
        current = null;
      }
    }
    // A frame cut by the chunk's end: its message started here, unless it continues one.
    if (pending.length > 0 && current === null) start();
    return started;
  }
  return { push };
}
