// Compares the TypeScript types postgres-meta generated for one schema with
// the schema's catalog (catalog.sql) and writes the supabase-js client that
// tsc then type-checks.
//
//   node check.mjs MODULES_DIR CATALOG_JSON TYPES_TS CLIENT_TS
//
// Prints one TAP-like line per object ("ok - ..." / "not ok - ...", details
// on "#" lines below it) and exits 0; run.sh counts the lines.
//
// What it asserts, for every table, view, function, enum and composite type
// of the schema:
//   - it appears in the generated Database type (Tables / Views / Functions /
//     Enums / CompositeTypes), every column and argument with it;
//   - nothing whose PostgreSQL type is known comes out as `unknown` or `any`,
//     anywhere inside the type (a function with OUT parameters that comes out
//     as Record<string, unknown> is one such);
//   - a text column held by a CHECK to a fixed list of values comes out as
//     plain `string` where an enum type would give apps the union of the
//     values: that fails, unless the system keeps the column as text on
//     purpose and lists it in TEXT_CHOICES (upstream's own types, say), when
//     it is a note; a listed column that is no such column fails too, so the
//     list stays true.
// Only a pseudo-typed argument or result (anyelement, a bare `record` with no
// OUT parameters, ...) may be `unknown`: PostgreSQL itself does not know it.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const [modulesDir, catalogPath, typesPath, clientPath, textChoicesPath] = process.argv.slice(2);
if (!clientPath) {
  console.error('usage: node check.mjs MODULES_DIR CATALOG_JSON TYPES_TS CLIENT_TS [TEXT_CHOICES]');
  process.exit(2);
}
const ts = createRequire(path.resolve(modulesDir, 'package.json'))('typescript');
const catalog = JSON.parse(fs.readFileSync(catalogPath, 'utf8'));
const schema = catalog.schema;
const types = catalog.types;

// The columns kept as text + CHECK on purpose: `table.column` per line, `#`
// comments; no file, none.
const textChoicesFile = textChoicesPath && fs.existsSync(textChoicesPath) ? textChoicesPath : null;
const keptAsText = new Set(
  textChoicesFile
    ? fs.readFileSync(textChoicesFile, 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean)
    : [],
);
const listedSeen = new Set();

// ---------------------------------------------------------------- reporting
let counter = 0;
function report(ok, what, details = []) {
  counter += 1;
  console.log(`${ok ? 'ok' : 'not ok'} - ${schema}: ${what}`);
  for (const line of details) console.log(`#   ${line}`);
}

// ------------------------------------------------- the generated Database type
const program = ts.createProgram([typesPath], {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  skipLibCheck: true,
  types: [],
});
const checker = program.getTypeChecker();
const typesSource = program.getSourceFile(typesPath);
const databaseAlias = typesSource.statements.find(
  (s) => ts.isTypeAliasDeclaration(s) && s.name.text === 'Database',
);
if (!databaseAlias) {
  report(false, 'generated types declare `Database`', [`no type alias Database in ${typesPath}`]);
  process.exit(0);
}
const databaseType = checker.getDeclaredTypeOfSymbol(checker.getSymbolAtLocation(databaseAlias.name));

function member(type, name) {
  if (!type) return undefined;
  const symbol = checker.getPropertyOfType(type, name);
  return symbol ? checker.getTypeOfSymbolAtLocation(symbol, typesSource) : undefined;
}
const show = (type) =>
  checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias);

// Every place inside `type` where `unknown` or `any` stands: [] when none.
// Walks unions, intersections, arrays, index signatures and properties.
function unknownPlaces(type, place = '', seen = new Set()) {
  if (type.flags & (ts.TypeFlags.Unknown | ts.TypeFlags.Any)) return [place || '(the type itself)'];
  if (seen.has(type)) return [];
  seen.add(type);
  if (type.isUnionOrIntersection()) return type.types.flatMap((t) => unknownPlaces(t, place, seen));
  if (!(type.flags & ts.TypeFlags.Object)) return [];
  if (checker.isArrayType(type) || checker.isTupleType(type)) {
    return checker.getTypeArguments(type).flatMap((t) => unknownPlaces(t, `${place}[]`, seen));
  }
  const places = [];
  for (const info of checker.getIndexInfosOfType(type)) {
    places.push(...unknownPlaces(info.type, `${place}[key: ${show(info.keyType)}]`, seen));
  }
  for (const property of checker.getPropertiesOfType(type)) {
    const propertyType = checker.getTypeOfSymbolAtLocation(property, typesSource);
    places.push(...unknownPlaces(propertyType, `${place}.${property.name}`, seen));
  }
  return places;
}

const withoutNull = (type) =>
  type.isUnion() ? type.types.filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined))) : [type];
const isPlainString = (type) => {
  const parts = withoutNull(type);
  return parts.length === 1 && (parts[0].flags & ts.TypeFlags.String) !== 0;
};

// ------------------------------------------------------ PostgreSQL type facts
const typeOf = (oid) => types[oid];
const baseOf = (oid) => {
  let t = typeOf(oid);
  while (t && t.typtype === 'd') t = typeOf(t.base);
  return t;
};
// A pseudo-type (anyelement, a bare record, ...): PostgreSQL does not know it either.
const isPseudo = (oid) => baseOf(oid)?.typtype === 'p';

const NUMBER = new Set(['int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'oid']);
const STRING = new Set([
  'text', 'varchar', 'bpchar', 'char', 'name', 'citext', 'uuid', 'bytea', 'date', 'time', 'timetz',
  'timestamp', 'timestamptz', 'interval', 'inet', 'cidr', 'macaddr', 'macaddr8', 'money', 'xml',
  'tsvector', 'tsquery', 'bit', 'varbit', 'vector', 'ltree',
]);
const SAMPLE_STRING = {
  uuid: '"00000000-0000-4000-8000-000000000000"',
  date: '"2026-01-31"',
  timestamp: '"2026-01-31T12:00:00"',
  timestamptz: '"2026-01-31T12:00:00Z"',
  time: '"12:00:00"',
  timetz: '"12:00:00+00"',
  interval: '"1 day"',
  inet: '"192.0.2.1"',
  cidr: '"192.0.2.0/24"',
  bytea: '"\\\\x00"',
};

// The TypeScript an app should see for a PostgreSQL type (what PostgREST
// sends as JSON), or null where the client cannot state it.
function expectedTs(oid) {
  const t = baseOf(oid);
  if (!t) return null;
  if (t.category === 'A' && t.element) {
    const element = expectedTs(t.element);
    return element && `(${element})[]`;
  }
  if (t.typtype === 'e') return t.labels.map((l) => JSON.stringify(l)).join(' | ');
  if (t.name === 'bool') return 'boolean';
  if (NUMBER.has(t.name)) return 'number';
  if (STRING.has(t.name) || t.typtype === 'r' || t.typtype === 'm') return 'string';
  if (t.name === 'json' || t.name === 'jsonb') return 'Json';
  if (t.name === 'void') return 'undefined';
  if (t.typtype === 'c' && t.schema === schema) {
    if (t.relation_kind === 'c') return `Database[${JSON.stringify(schema)}]["CompositeTypes"][${JSON.stringify(t.name)}]`;
    const kind = ['v', 'm'].includes(t.relation_kind) ? 'Views' : 'Tables';
    return `Database[${JSON.stringify(schema)}][${JSON.stringify(kind)}][${JSON.stringify(t.name)}]["Row"]`;
  }
  return null;
}

// A TypeScript value of a PostgreSQL type, to pass as an RPC argument, or null.
function sampleValue(oid, depth = 0) {
  const t = baseOf(oid);
  if (!t || depth > 4) return null;
  // anyelement and friends: the types say unknown, any value will do.
  if (t.typtype === 'p') return '"text"';
  if (t.category === 'A' && t.element) {
    const element = sampleValue(t.element, depth + 1);
    return element && `[${element}]`;
  }
  if (t.typtype === 'e') return JSON.stringify(t.labels[0]);
  if (t.name === 'bool') return 'true';
  if (NUMBER.has(t.name)) return '1';
  if (t.name in SAMPLE_STRING) return SAMPLE_STRING[t.name];
  if (STRING.has(t.name) || t.typtype === 'r' || t.typtype === 'm') return '"text"';
  if (t.name === 'json' || t.name === 'jsonb') return '{ key: "value" }';
  if (t.typtype === 'c' && t.attributes) {
    const fields = [];
    for (const a of t.attributes) {
      const value = sampleValue(a.type, depth + 1);
      if (value === null) return null;
      fields.push(`${JSON.stringify(a.name)}: ${value}`);
    }
    return `{ ${fields.join(', ')} }`;
  }
  return null;
}

// ------------------------------------------------------------------- checks
const schemaType = member(databaseType, schema);
report(schemaType !== undefined, `schema ${schema} in the generated Database type`);
if (!schemaType) process.exit(0);
const section = (name) => member(schemaType, name);

for (const relation of catalog.relations) {
  const isView = relation.kind.includes('view');
  const sectionName = isView ? 'Views' : 'Tables';
  const what = `${relation.kind} ${relation.name}`;
  const row = member(member(section(sectionName), relation.name), 'Row');
  if (!row) {
    report(false, what, [`missing from ${sectionName} (or it has no Row)`]);
    continue;
  }
  const problems = [];
  for (const column of relation.columns) {
    const columnType = member(row, column.name);
    if (!columnType) {
      problems.push(`column ${column.name} (${column.sql}) missing from Row`);
      continue;
    }
    const places = unknownPlaces(columnType);
    if (places.length && !isPseudo(column.type)) {
      problems.push(`column ${column.name} (${column.sql}) is typed ${show(columnType)}`);
    }
    if (column.fixed_values && isPlainString(columnType)) {
      const key = `${relation.name}.${column.name}`;
      const union = column.fixed_values.map((v) => JSON.stringify(v)).join(' | ');
      const held = `${key} (${column.sql}, CHECK to ${column.fixed_values.length} values) is typed ${show(columnType)}`;
      if (keptAsText.has(key)) {
        listedSeen.add(key);
        console.log(`# note: ${held}, kept as text (listed): an enum type would give apps ${union}`);
      } else {
        problems.push(`${held}: make it an enum type (apps get ${union}), or list it in its system's test/typegen-text-choices`);
      }
    }
  }
  report(problems.length === 0, what, problems);
}

if (textChoicesFile) {
  const stale = [...keptAsText].filter((key) => !listedSeen.has(key)).sort();
  report(
    stale.length === 0,
    `the columns listed as kept as text (${keptAsText.size}) are text columns held to fixed values`,
    stale.map((key) => `${key} is listed in ${path.basename(textChoicesFile)} but is no such column: remove it`),
  );
}

// A function's result described in PostgreSQL's words, for messages.
// name(argument type, ...) of the input arguments: how apps call it.
for (const fn of catalog.functions) {
  fn.signature = `${fn.name}(${fn.args
    .filter((a) => a.mode === 'i' || a.mode === 'b' || a.mode === 'v')
    .map((a) => `${a.name ? `${a.name} ` : ''}${a.sql}`)
    .join(', ')})`;
}
const resultColumns = (fn) => fn.args.filter((a) => a.mode === 'o' || a.mode === 'b' || a.mode === 't');
const inputArgs = (fn) => fn.args.filter((a) => a.mode === 'i' || a.mode === 'b' || a.mode === 'v');

const functionsSection = section('Functions');
const overloadCount = {};
for (const fn of catalog.functions) overloadCount[fn.name] = (overloadCount[fn.name] || 0) + 1;

for (const fn of catalog.functions) {
  const what = `function ${fn.signature}`;
  const entry = member(functionsSection, fn.name);
  if (!entry) {
    report(false, what, ['missing from Functions (PostgREST cannot call it, or the generator left it out)']);
    continue;
  }
  // Overloads come out as a union of { Args; Returns }: pick the one whose
  // argument names are this function's.
  const names = inputArgs(fn).map((a) => a.name).sort().join(',');
  const candidates = entry.isUnion() ? entry.types : [entry];
  const signature = candidates.find((c) => {
    const args = member(c, 'Args');
    const argNames = args ? checker.getPropertiesOfType(args).map((p) => p.name).sort().join(',') : '';
    return argNames === names;
  });
  if (!signature) {
    report(false, what, [
      `no entry in Functions whose Args are (${names}); generated: ${candidates.map((c) => show(member(c, 'Args') ?? c)).join(' | ')}`,
    ]);
    continue;
  }
  const problems = [];
  const args = member(signature, 'Args');
  for (const arg of inputArgs(fn)) {
    const argType = member(args, arg.name);
    if (unknownPlaces(argType).length && !isPseudo(arg.type)) {
      problems.push(`argument ${arg.name || '(unnamed)'} (${arg.sql}) is typed ${show(argType)}`);
    }
  }
  const returns = member(signature, 'Returns');
  const errorFlag = returns && member(returns, 'error');
  if (errorFlag && errorFlag.flags & ts.TypeFlags.BooleanLiteral) {
    problems.push(`the generator reports an error for it: ${show(returns)}`);
  } else {
    const places = unknownPlaces(returns);
    const outColumns = resultColumns(fn);
    // A bare `record` without OUT parameters has no known shape: allowed.
    const shapeUnknownToPostgres = isPseudo(fn.returns) && outColumns.length === 0;
    if (places.length && !shapeUnknownToPostgres) {
      const described = outColumns.length
        ? `${fn.result_sql} (${outColumns.map((c) => `${c.mode === 't' ? '' : 'OUT '}${c.name} ${c.sql}`).join(', ')})`
        : fn.result_sql;
      problems.push(
        `result ${described} is typed ${show(returns)}` +
          (places.length === 1 && places[0] === '(the type itself)' ? '' : ` (unknown at ${places.join(', ')})`),
      );
    } else if (places.length) {
      console.log(`# note: ${schema}.${fn.signature} returns ${fn.result_sql}: no shape PostgreSQL knows, typed ${show(returns)}`);
    }
  }
  report(problems.length === 0, what, problems);
}

for (const [sectionName, list, kind] of [
  ['Enums', catalog.enums, 'enum'],
  ['CompositeTypes', catalog.composite_types, 'composite type'],
]) {
  for (const name of list) {
    const type = member(section(sectionName), name);
    const places = type ? unknownPlaces(type) : [];
    report(type !== undefined && places.length === 0, `${kind} ${name}`, [
      ...(type ? [] : [`missing from ${sectionName}`]),
      ...places.map((p) => `unknown at ${p}: ${show(type)}`),
    ]);
  }
}

// ------------------------------------------------------------ the client
// Selects every column of every table and view and calls every function,
// assigning what comes back to the type the catalog says it has: tsc fails
// where the generated types disagree (or say `unknown`).
const lines = [];
const emit = (line = '') => lines.push(line);
const nullable = (t) => `${t} | null`;
let variable = 0;

emit('// Written by test/typegen/check.mjs from the catalog: every table and view');
emit(`// of schema ${schema} selected, every function called with typed arguments.`);
emit("import { createClient } from '@supabase/supabase-js'");
emit("import type { Database, Json } from './types'");
emit();
emit("const supabase = createClient<Database>('http://localhost:54321', 'public-anon-key')");
emit(`const db = supabase.schema(${JSON.stringify(schema)})`);
emit();
emit('export async function selectEveryRelation(): Promise<void> {');
for (const relation of catalog.relations) {
  const isView = relation.kind.includes('view');
  emit('  {');
  emit(`    const { data, error } = await db.from(${JSON.stringify(relation.name)}).select('*')`);
  emit('    if (error) throw error');
  emit('    for (const row of data) {');
  for (const column of relation.columns) {
    const expected = expectedTs(column.type);
    const access = `row[${JSON.stringify(column.name)}]`;
    if (expected === null) {
      emit(`      void ${access} // ${column.name} ${column.sql}: no stated TypeScript type`);
    } else {
      const type = isView || !column.not_null ? nullable(expected) : expected;
      emit(`      const v${variable++}: ${type} = ${access} // ${column.sql}`);
    }
  }
  emit('    }');
  emit('  }');
}
emit('}');
emit();

const clientProblems = [];
emit('export async function callEveryFunction(): Promise<void> {');
for (const fn of catalog.functions) {
  const argList = [];
  for (const arg of inputArgs(fn)) {
    const value = sampleValue(arg.type);
    if (value === null) {
      clientProblems.push(`${fn.signature}: no sample value for argument ${arg.name} (${arg.sql}): teach sampleValue() in check.mjs`);
      continue;
    }
    argList.push(`${JSON.stringify(arg.name)}: ${value}`);
  }
  const call = argList.length
    ? `db.rpc(${JSON.stringify(fn.name)}, { ${argList.join(', ')} })`
    : `db.rpc(${JSON.stringify(fn.name)})`;
  emit(`  { // ${fn.signature} -> ${fn.result_sql}`);
  emit(`    const { data, error } = await ${call}`);
  emit('    if (error) throw error');
  const returnType = baseOf(fn.returns);
  const outColumns = resultColumns(fn);
  const rowRelation = returnType?.typtype === 'c' && returnType.relation_kind !== 'c' && returnType.schema === schema;
  // PostgREST answers a set with an array, a single row (or a SETOF table
  // declared ROWS 1, which the generator collapses) with an object.
  const isArray = fn.returns_set && !(rowRelation && fn.rows === 1);
  const columnsOfResult = outColumns.length
    ? outColumns.map((c) => ({ name: c.name, type: c.type, sql: c.sql }))
    : returnType?.typtype === 'c' && returnType.attributes
      ? returnType.attributes.map((a) => ({ name: a.name, type: a.type, sql: a.sql }))
      : null;
  if (columnsOfResult) {
    emit(isArray ? '    for (const row of data) {' : '    {');
    if (!isArray) emit('      const row = data');
    for (const c of columnsOfResult) {
      const expected = expectedTs(c.type);
      const access = `row[${JSON.stringify(c.name)}]`;
      if (expected === null) emit(`      void ${access} // ${c.name} ${c.sql}: no stated TypeScript type`);
      else emit(`      const v${variable++}: ${nullable(expected)} = ${access} // ${c.sql}`);
    }
    emit('    }');
  } else {
    const expected = expectedTs(fn.returns);
    if (expected === null) emit(`    void data // ${fn.result_sql}: no stated TypeScript type`);
    else emit(`    const v${variable++}: ${isArray ? `(${nullable(expected)})[]` : nullable(expected)} = data`);
  }
  emit('  }');
}
emit('}');
emit();
emit('export type { Json }');
fs.writeFileSync(clientPath, lines.join('\n') + '\n');
report(clientProblems.length === 0, `client written (${catalog.relations.length} relations, ${catalog.functions.length} functions)`, clientProblems);
