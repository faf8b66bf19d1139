// documents.test.mjs: uploading documents (multipart/form-data, the type judged from the bytes)
// and downloading them byte for byte; bad uploads; the size limits; visibility "mediator" hiding a
// document from the other side.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, api, login } from './lib/server.mjs';

let srv;
const T = {};
before(async () => {
  srv = await startServer();
  for (const u of ['resident.li', 'resident.chan', 'officer.hq']) T[u] = (await login(srv, u)).token;
});
after(async () => { await srv?.stop(); });

const call = (method, path, who, body) => api(srv, method, path, { token: T[who], body });
const get = (id, who = 'resident.li') => call('GET', `/api/v1/cases/${id}`, who);
const sha = (b) => createHash('sha256').update(b).digest('hex');
const MiB = 1024 * 1024;

function err(r, status, code) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json?.error?.code, code, r.text);
  return (r.json.error.fields ?? []).map((f) => [f.field, f.code]).sort();
}

// ---- small valid files of each type ----
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pdf(body = 'hello', size = 0) {
  const head = Buffer.from(`%PDF-1.4\n1 0 obj << /Title (${body}) >> endobj\n`);
  const tail = Buffer.from('\ntrailer << >>\n%%EOF\n');
  const pad = Math.max(0, size - head.length - tail.length);
  return Buffer.concat([head, Buffer.alloc(pad, 0x20), tail]);
}
function png() {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0]))),
    chunk('IEND', Buffer.alloc(0))]);
}
function jpeg() {
  return Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01,
    0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);
}
// A stored (uncompressed) ZIP with the parts a Word document has.
function docx() {
  const files = [
    ['[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'],
    ['word/document.xml', '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>證據</w:t></w:r></w:p></w:body></w:document>'],
  ];
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, text] of files) {
    const n = Buffer.from(name);
    const d = Buffer.from(text);
    const crc = crc32(d);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(d.length, 18);
    lh.writeUInt32LE(d.length, 22);
    lh.writeUInt16LE(n.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(d.length, 20);
    ch.writeUInt32LE(d.length, 24);
    ch.writeUInt16LE(n.length, 28);
    ch.writeUInt32LE(offset, 42);
    locals.push(lh, n, d);
    centrals.push(ch, n);
    offset += 30 + n.length + d.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

// POSTs a multipart upload; parts given as {file, filename, type, title, kind, visibility, ...}.
async function upload(caseId, who, parts) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(parts)) {
    if (k === 'filename' || k === 'type' || v === undefined) continue;
    if (k === 'file') fd.append('file', new Blob([v], { type: parts.type ?? 'application/octet-stream' }),
      parts.filename ?? 'upload.bin');
    else fd.append(k, v);
  }
  const res = await fetch(`${srv.url}/api/v1/cases/${caseId}/documents`,
    { method: 'POST', headers: { Authorization: `Bearer ${T[who]}` }, body: fd });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { json = null; }
  return { status: res.status, headers: res.headers, json, text };
}

// The same upload by curl, which reads a reply sent before its body was consumed.
function curlUpload(caseId, who, bytes) {
  const dir = mkdtempSync(join(tmpdir(), 'qiao-doc-'));
  try {
    const path = join(dir, 'big.pdf');
    writeFileSync(path, bytes);
    const out = spawnSync('curl', ['-sS', '-H', `Authorization: Bearer ${T[who]}`, '-H', 'Expect:',
      '-F', `file=@${path};type=application/pdf`, '-F', 'title=big', '-F', 'kind=evidence',
      '-w', '\n%{http_code}', `${srv.url}/api/v1/cases/${caseId}/documents`], { encoding: 'utf8' });
    const lines = out.stdout.trimEnd().split('\n');
    const status = Number(lines.pop());
    const text = lines.join('\n');
    let json = null;
    try { json = JSON.parse(text); } catch { json = null; }
    return { status, json, text: text || out.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function download(caseId, docId, who) {
  const res = await fetch(`${srv.url}/api/v1/cases/${caseId}/documents/${docId}`,
    { headers: { Authorization: `Bearer ${T[who]}` } });
  const body = Buffer.from(await res.arrayBuffer());
  let json = null;
  try { json = JSON.parse(body.toString()); } catch { json = null; }
  return { status: res.status, headers: res.headers, body, json, text: body.toString() };
}

const complete = (title) => ({
  center: 'HQ', type: 'family', subtype: 'property', title, summary: '房产分割。',
  applicants: [{ name: '李明', residence: 'zhuhai' }],
  respondents: [{ name: '黃志偉', residence: 'hong_kong' }],
  claims: [{ description: '一半份额' }], consent: { mediation: true }, submit: true,
});

async function fileCase(title) {
  const r = await call('POST', '/api/v1/cases', 'resident.li', complete(title));
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

const docIds = async (id, who = 'resident.li') => (await get(id, who)).json.documents.map((d) => d.id);

let C; // a submitted case of resident.li, filed by the first test

test('PDF, PNG, JPEG and DOCX upload (201, sha256 of the bytes) and download identically', async () => {
  C = await fileCase('证据文件');
  const files = [
    ['pdf', pdf('evidence'), 'application/pdf', 'a.pdf'],
    ['png', png(), 'image/png', 'b.png'],
    ['jpg', jpeg(), 'image/jpeg', 'c.jpg'],
    ['docx', docx(), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'd.docx'],
  ];
  for (const [ext, bytes, media, name] of files) {
    const r = await upload(C, 'resident.li', { file: bytes, filename: name,
      type: 'application/octet-stream', title: `证据 ${ext}`, kind: 'evidence' });
    assert.equal(r.status, 201, `${ext}: ${r.text}`);
    assert.deepEqual({ ...r.json, id: 0 }, { id: 0, title: `证据 ${ext}`, kind: 'evidence',
      visibility: 'case', media_type: media, size: bytes.length, sha256: sha(bytes) });
    assert.equal(r.headers.get('location'), `/api/v1/cases/${C}/documents/${r.json.id}`);
    const d = await download(C, r.json.id, 'resident.li');
    assert.equal(d.status, 200, d.text);
    assert.ok(d.body.equals(bytes), `${ext}: the same bytes back`);
    assert.equal(d.headers.get('x-content-sha256'), sha(bytes));
    assert.equal(d.headers.get('content-type'), media);
    assert.equal(d.headers.get('content-disposition'),
      `attachment; filename="document-${r.json.id}.${ext}"`);
    // the officer of the center reads it too
    assert.equal((await download(C, r.json.id, 'officer.hq')).status, 200);
  }
  const listed = (await get(C)).json.documents;
  assert.deepEqual(listed.map((d) => d.media_type), files.map((f) => f[2]));
  assert.deepEqual(listed.map((d) => d.sha256), files.map((f) => sha(f[1])));
});

test('bad uploads are refused by field, and nothing is stored', async () => {
  const before = await docIds(C);
  const text = Buffer.from('this is plain text, not a PDF\n');
  let r = await upload(C, 'resident.li', { file: text, filename: 'x.pdf', type: 'application/pdf',
    title: '假PDF', kind: 'evidence' });
  assert.deepEqual(err(r, 400, 'request.validation'), [['file', 'file_type']]);
  // a PDF header without its end, a PNG signature without IHDR
  r = await upload(C, 'resident.li', { file: Buffer.from('%PDF-1.4\nno end'), title: 't', kind: 'other' });
  assert.deepEqual(err(r, 400, 'request.validation'), [['file', 'file_type']]);
  r = await upload(C, 'resident.li', { file: png().subarray(0, 12), title: 't', kind: 'other' });
  assert.deepEqual(err(r, 400, 'request.validation'), [['file', 'file_type']]);
  r = await upload(C, 'resident.li', { file: pdf() });
  assert.deepEqual(err(r, 400, 'request.validation'), [['kind', 'required'], ['title', 'required']]);
  r = await upload(C, 'resident.li', { title: '没有文件', kind: 'evidence' });
  assert.deepEqual(err(r, 400, 'request.validation'), [['file', 'required']]);
  r = await upload(C, 'resident.li', { file: pdf(), title: 'x', kind: 'photo', visibility: 'public',
    comment: 'hi' });
  assert.deepEqual(err(r, 400, 'request.validation'),
    [['comment', 'unknown'], ['kind', 'choice'], ['visibility', 'choice']]);
  r = await upload(C, 'resident.li', { file: pdf(), title: '题'.repeat(201), kind: 'other' });
  assert.deepEqual(err(r, 400, 'request.validation'), [['title', 'too_long']]);
  // not multipart at all
  r = await call('POST', `/api/v1/cases/${C}/documents`, 'resident.li', { title: 'json' });
  err(r, 400, 'request.bad_multipart');
  assert.deepEqual(await docIds(C), before);
});

test('size: 10 MiB is accepted, one byte more is file_too_large, far more is 413', async () => {
  const c = await fileCase('大文件');
  const exact = pdf('big', 10 * MiB);
  assert.equal(exact.length, 10 * MiB);
  let r = await upload(c, 'resident.li', { file: exact, title: '十兆', kind: 'evidence' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.size, 10 * MiB);
  assert.equal(r.json.sha256, sha(exact));
  const d = await download(c, r.json.id, 'resident.li');
  assert.ok(d.body.equals(exact));
  const before = await docIds(c);
  // over the per-file limit but within what the route reads: the field says why
  r = await upload(c, 'resident.li', { file: pdf('big', 10 * MiB + 1), title: '太大', kind: 'evidence' });
  assert.deepEqual(err(r, 400, 'request.validation'), [['file', 'file_too_large']]);
  // a body far past the route's limit is refused before it is read (curl reads the early reply;
  // see the next test for clients that do not)
  r = curlUpload(c, 'resident.li', pdf('big', 11 * MiB));
  err(r, 413, 'request.too_large');
  assert.deepEqual(await docIds(c), before);
});

// A client still sending its body when the server refuses it must still get the reply: browsers
// and Node's fetch report a failed request, not the 413, when the server closes the connection
// before it has read the body.
test('an 11 MiB upload by fetch (as a browser sends it) gets the 413, not a broken connection', async () => {
  const c = await fileCase('太大了');
  let r;
  try {
    r = await upload(c, 'resident.li', { file: pdf('big', 11 * MiB), title: '太大', kind: 'evidence' });
  } catch (e) {
    assert.fail(`the upload failed without a reply: ${e.message} (${e.cause?.code ?? e.cause})`);
  }
  err(r, 413, 'request.too_large');
});

test('50 MiB per case: the upload past it → 413 document.case_quota, nothing stored', async () => {
  const c = await fileCase('配额');
  const ten = pdf('quota', 10 * MiB);
  for (let i = 0; i < 5; i++) {
    const r = await upload(c, 'resident.li', { file: ten, title: `第${i + 1}份`, kind: 'evidence' });
    assert.equal(r.status, 201, r.text);
  }
  const before = await docIds(c);
  const r = await upload(c, 'resident.li', { file: pdf('one more'), title: '再一份', kind: 'other' });
  err(r, 413, 'document.case_quota');
  assert.deepEqual(await docIds(c), before);
});

test('who may upload and download: parties and officers, nobody else', async () => {
  const r = await upload(C, 'resident.chan', { file: pdf(), title: '外人', kind: 'other' });
  err(r, 404, 'case.not_found');
  const own = (await get(C)).json.documents[0];
  err(await download(C, own.id, 'resident.chan'), 404, 'case.not_found');
  err(await download(C, 999999, 'resident.li'), 404, 'document.not_found');
  // a document of another case, asked for under this one
  const other = await fileCase('另一件');
  const o = await upload(other, 'resident.li', { file: pdf(), title: '另一件的', kind: 'other' });
  assert.equal(o.status, 201, o.text);
  err(await download(C, o.json.id, 'resident.li'), 404, 'document.not_found');
  // an officer of the center may add a document; an officer elsewhere may not
  const off = await upload(C, 'officer.hq', { file: pdf('notice'), title: '通知', kind: 'other' });
  assert.equal(off.status, 201, off.text);
  assert.equal((await download(C, off.json.id, 'resident.li')).status, 200);
  // a draft takes documents from its filer only
  const draft = await call('POST', '/api/v1/cases', 'resident.li',
    { center: 'HQ', type: 'family', subtype: 'divorce', title: '草稿' });
  const dr = await upload(draft.json.id, 'resident.li', { file: jpeg(), title: '草稿证据', kind: 'id_copy' });
  assert.equal(dr.status, 201, dr.text);
  err(await upload(draft.json.id, 'officer.hq', { file: jpeg(), title: 'x', kind: 'other' }), 404,
    'case.not_found');
  err(await download(draft.json.id, dr.json.id, 'officer.hq'), 404, 'case.not_found');
});

test('visibility "mediator": the other side can neither list nor download it', async () => {
  const c = await fileCase('保密材料');
  for (const e of ['start_screening', 'accept']) {
    const r = await call('POST', `/api/v1/cases/${c}/events`, 'officer.hq', { event: e });
    assert.equal(r.status, 200, r.text);
    if (e === 'accept') {
      const reg = await api(srv, 'POST', '/api/v1/auth/register', { body: {
        username: 'huang.zw', password: 'respondent-pass-2026', display_name: '黃志偉',
        language: 'zh-Hant', email: 'huang@example.com' } });
      assert.equal(reg.status, 201, reg.text);
      T['huang.zw'] = (await login(srv, 'huang.zw', 'respondent-pass-2026')).token;
      const red = await call('POST', '/api/v1/invitations/redeem', 'huang.zw',
        { code: r.json.invitation.code });
      assert.equal(red.status, 200, red.text);
    }
  }
  const secret = pdf('for the mediator only');
  const m = await upload(c, 'resident.li', { file: secret, title: '只给调解员', kind: 'evidence',
    visibility: 'mediator' });
  assert.equal(m.status, 201, m.text);
  assert.equal(m.json.visibility, 'mediator');
  const open = await upload(c, 'resident.li', { file: pdf('for all'), title: '公开', kind: 'evidence' });
  assert.equal(open.status, 201, open.text);

  // the uploader's side lists and downloads it
  assert.ok((await docIds(c, 'resident.li')).includes(m.json.id));
  const mine = await download(c, m.json.id, 'resident.li');
  assert.equal(mine.status, 200, mine.text);
  assert.ok(mine.body.equals(secret));
  // the respondent sees the case document, not the mediator-only one
  assert.deepEqual(await docIds(c, 'huang.zw'), [open.json.id]);
  err(await download(c, m.json.id, 'huang.zw'), 404, 'document.not_found');
  assert.equal((await download(c, open.json.id, 'huang.zw')).status, 200);
  // the policy keeps it from staff too (only the mediator and the uploader's side)
  assert.ok(!(await docIds(c, 'officer.hq')).includes(m.json.id));
  err(await download(c, m.json.id, 'officer.hq'), 404, 'document.not_found');

  // the other way round: the respondent's mediator-only document is hidden from the applicant
  const rm = await upload(c, 'huang.zw', { file: png(), title: '被申请人的', kind: 'evidence',
    visibility: 'mediator' });
  assert.equal(rm.status, 201, rm.text);
  assert.ok((await docIds(c, 'huang.zw')).includes(rm.json.id));
  assert.ok(!(await docIds(c, 'resident.li')).includes(rm.json.id));
  err(await download(c, rm.json.id, 'resident.li'), 404, 'document.not_found');
  const rc = await upload(c, 'huang.zw', { file: jpeg(), title: '被申请人公开', kind: 'evidence' });
  assert.equal(rc.status, 201, rc.text);
  assert.equal((await download(c, rc.json.id, 'resident.li')).status, 200);
});
