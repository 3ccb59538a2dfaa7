/** Reads an ONNX model's metadata_props (ModelProto field 14) without loading the graph. */

function readVarint(buf: Uint8Array, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  let i = at;
  for (;;) {
    const byte = buf[i++];
    if (byte === undefined) throw new Error('truncated varint');
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, i];
    shift += 7;
  }
}

function* fields(buf: Uint8Array): Generator<{ field: number; wire: number; value: number; start: number; end: number }> {
  let i = 0;
  while (i < buf.length) {
    const [tag, next] = readVarint(buf, i);
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    i = next;
    if (wire === 0) {
      const [value, after] = readVarint(buf, i);
      yield { field, wire, value, start: i, end: after };
      i = after;
    } else if (wire === 2) {
      const [length, after] = readVarint(buf, i);
      yield { field, wire, value: length, start: after, end: after + length };
      i = after + length;
    } else if (wire === 5) {
      yield { field, wire, value: 0, start: i, end: i + 4 };
      i += 4;
    } else if (wire === 1) {
      yield { field, wire, value: 0, start: i, end: i + 8 };
      i += 8;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
}

export function readOnnxMetadata(model: Uint8Array): Record<string, string> {
  const decoder = new TextDecoder();
  const out: Record<string, string> = {};
  for (const f of fields(model)) {
    if (f.field !== 14 || f.wire !== 2) continue;
    let key = '';
    let value = '';
    for (const e of fields(model.subarray(f.start, f.end))) {
      if (e.field === 1) key = decoder.decode(model.subarray(f.start + e.start, f.start + e.end));
      if (e.field === 2) value = decoder.decode(model.subarray(f.start + e.start, f.start + e.end));
    }
    out[key] = value;
  }
  return out;
}

/** How many nodes of each operator a model's graph holds (e.g. of onnxruntime's optimised model). */
export function countOnnxOps(model: Uint8Array): Map<string, number> {
  const counts = new Map<string, number>();
  const decoder = new TextDecoder();
  for (const graph of fields(model)) {
    if (graph.field !== 7 || graph.wire !== 2) continue;
    const g = model.subarray(graph.start, graph.end);
    for (const node of fields(g)) {
      if (node.field !== 1 || node.wire !== 2) continue;
      const n = g.subarray(node.start, node.end);
      for (const f of fields(n)) {
        if (f.field !== 4 || f.wire !== 2) continue;
        const op = decoder.decode(n.subarray(f.start, f.end));
        counts.set(op, (counts.get(op) ?? 0) + 1);
      }
    }
  }
  return counts;
}

function readDims(buf: Uint8Array, f: { wire: number; value: number; start: number; end: number }): number[] {
  if (f.wire === 0) return [f.value];
  const dims: number[] = [];
  for (let i = f.start; i < f.end;) {
    const [v, next] = readVarint(buf, i);
    dims.push(v);
    i = next;
  }
  return dims;
}

/** The float initializers of a model written by project code (raw_data), by name: enough to fine-tune a head. */
export function readOnnxInitializers(model: Uint8Array): Map<string, { dims: number[]; data: Float32Array }> {
  const out = new Map<string, { dims: number[]; data: Float32Array }>();
  const decoder = new TextDecoder();
  for (const graph of fields(model)) {
    if (graph.field !== 7 || graph.wire !== 2) continue;
    const g = model.subarray(graph.start, graph.end);
    for (const init of fields(g)) {
      if (init.field !== 5 || init.wire !== 2) continue;
      const t = g.subarray(init.start, init.end);
      let name = '';
      let dims: number[] = [];
      let dataType = 0;
      let raw: Uint8Array | null = null;
      for (const f of fields(t)) {
        if (f.field === 1) dims = [...dims, ...readDims(t, f)];
        else if (f.field === 2) dataType = f.value;
        else if (f.field === 8) name = decoder.decode(t.subarray(f.start, f.end));
        else if (f.field === 9) raw = t.subarray(f.start, f.end);
      }
      if (dataType !== 1 || !raw) continue;
      const copy = new Uint8Array(raw.length); // a Buffer's slice() is a view: copy into an aligned buffer of its own
      copy.set(raw);
      out.set(name, { dims, data: new Float32Array(copy.buffer) });
    }
  }
  return out;
}
