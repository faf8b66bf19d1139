// accounts.test.mjs: staff accounts and the user directory (admin only): POST /api/v1/users with
// each role's affiliation rules, GET /api/v1/users with paging and the role filter, who may use
// them, and the public lists of centers and firms.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from './lib/server.mjs';

let srv, admin;
const sessions = {};
before(async () => {
  srv = await startServer();
  admin = await login(srv, 'admin');
});
after(async () => { await srv?.stop(); });

const PASSWORD = 'pearl-river-delta-5';
const staff = (over) => ({ username: 'staff.x', password: PASSWORD, display_name: 'Staff',
  language: 'zh-Hant', ...over });

const create = (body, token = admin.token) => api(srv, 'POST', '/api/v1/users', { token, body });

function fieldsOf(r, status = 400, code = 'request.validation') {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error.code, code);
  return r.json.error.fields.map((f) => [f.field, f.code]);
}

async function allUsers() {
  const r = await api(srv, 'GET', '/api/v1/users?limit=100', { token: admin.token });
  assert.equal(r.status, 200);
  return r.json.items;
}

test('an admin creates a mediator serving two centers', async () => {
  const r = await create(staff({ username: 'mediator.tnew', role: 'mediator', centers: ['MOF', 'HQ'],
    email: 'tnew@qiao.example' }));
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json, { id: r.json.id, username: 'mediator.tnew', role: 'mediator',
    display_name: 'Staff', language: 'zh-Hant', email: 'tnew@qiao.example', phone: null,
    firm: null, centers: ['HQ', 'MOF'], active: true });
  const s = await login(srv, 'mediator.tnew', PASSWORD);
  assert.equal(s.user.role, 'mediator');
  assert.deepEqual(s.user.centers, ['HQ', 'MOF']);
});

test('an admin creates a case officer with one center', async () => {
  const r = await create(staff({ username: 'officer.tmof', role: 'case_officer', centers: ['MOF'],
    phone: '+853 2888 1234' }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.role, 'case_officer');
  assert.deepEqual(r.json.centers, ['MOF']);
  assert.equal(r.json.phone, '+85328881234');
  assert.equal(r.json.firm, null);
});

test('an admin creates a lawyer of a firm', async () => {
  const r = await create(staff({ username: 'lawyer.tcheng', role: 'lawyer', firm: 'ZHM-LAW',
    language: 'en' }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.role, 'lawyer');
  assert.equal(r.json.firm, 'ZHM-LAW');
  assert.deepEqual(r.json.centers, []);
});

test('an admin creates auditors, admins and residents without affiliations', async () => {
  for (const role of ['auditor', 'admin', 'resident']) {
    const r = await create(staff({ username: `plain.${role}`, role }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.role, role);
    assert.equal(r.json.firm, null);
    assert.deepEqual(r.json.centers, []);
    assert.equal(r.json.email, null);
    assert.equal(r.json.phone, null);
  }
  // the new admin is an admin
  const s = await login(srv, 'plain.admin', PASSWORD);
  assert.equal((await api(srv, 'GET', '/api/v1/users', { token: s.token })).status, 200);
});

test('each role\'s affiliation rule is enforced with the right field codes', async () => {
  const cases = [
    [{ role: 'mediator' }, [['centers', 'required_for_role']]],
    [{ role: 'mediator', centers: [] }, [['centers', 'required_for_role']]],
    [{ role: 'case_officer' }, [['centers', 'required_for_role']]],
    [{ role: 'case_officer', centers: ['HQ', 'ZHC'] }, [['centers', 'one_center']]],
    [{ role: 'lawyer' }, [['firm', 'required_for_role']]],
    [{ role: 'lawyer', firm: 'ZHM-LAW', centers: ['HQ'] }, [['centers', 'not_for_role']]],
    [{ role: 'mediator', centers: ['HQ'], firm: 'ZHM-LAW' }, [['firm', 'not_for_role']]],
    [{ role: 'case_officer', centers: ['HQ'], firm: 'ZHM-LAW' }, [['firm', 'not_for_role']]],
    [{ role: 'resident', centers: ['HQ'] }, [['centers', 'not_for_role']]],
    [{ role: 'auditor', firm: 'ZHM-LAW' }, [['firm', 'not_for_role']]],
    [{ role: 'admin', centers: ['HQ'], firm: 'ZHM-LAW' },
      [['centers', 'not_for_role'], ['firm', 'not_for_role']]],
    [{ role: 'mediator', centers: ['XX'] }, [['centers[0]', 'unknown_center']]],
    [{ role: 'mediator', centers: ['HQ', 'NOPE'] }, [['centers[1]', 'unknown_center']]],
    [{ role: 'mediator', centers: ['hq'] }, [['centers[0]', 'unknown_center']]],
    [{ role: 'case_officer', centers: ['XX'] }, [['centers[0]', 'unknown_center']]],
    [{ role: 'lawyer', firm: 'NOPE-LAW' }, [['firm', 'unknown_firm']]],
    [{ role: 'lawyer', firm: 'zhm-law' }, [['firm', 'unknown_firm']]],
    [{ role: 'mediator', centers: Array(17).fill('HQ') }, [['centers', 'too_many']]],
    [{ role: 'boss' }, [['role', 'choice']]],
    [{ role: 'mediator', username: 'Bad Name', password: 'short' },
      [['username', 'username_format'], ['password', 'password_short'],
        ['centers', 'required_for_role']]],
  ];
  for (const [over, expected] of cases) {
    const r = await create(staff({ username: 'refused.staff', ...over }));
    assert.deepEqual(fieldsOf(r), expected, JSON.stringify(over));
  }
  const names = (await allUsers()).map((u) => u.username);
  assert.ok(!names.includes('refused.staff'), 'no refused account was written');
});

// A repeated center is the caller's mistake (400, by path), not a clash in the store reported as
// "user name taken".
test('a mediator with the same center twice → centers[1] duplicate, nothing written', async () => {
  const r = await create(staff({ username: 'mediator.twice', role: 'mediator',
    centers: ['HQ', 'HQ'] }));
  assert.deepEqual(fieldsOf(r), [['centers[1]', 'duplicate']]);
  assert.ok(!r.json.error.fields[0].message.startsWith('field.'), 'the message is localized');
  assert.ok(!(await allUsers()).some((u) => u.username === 'mediator.twice'));
  const ok = await create(staff({ username: 'mediator.twice', role: 'mediator', centers: ['HQ'] }));
  assert.equal(ok.status, 201, 'the user name was never taken');
});

test('a taken user name → 409 user.username_taken', async () => {
  const r = await create(staff({ username: 'officer.hq', role: 'auditor' }));
  assert.deepEqual(fieldsOf(r, 409, 'user.username_taken'), [['username', 'taken']]);
  const hq = (await allUsers()).find((u) => u.username === 'officer.hq');
  assert.equal(hq.role, 'case_officer');
});

test('non-admins get 403 auth.forbidden on GET and POST /api/v1/users', async () => {
  for (const who of ['officer.hq', 'mediator.chen', 'lawyer.ho', 'resident.li', 'auditor']) {
    sessions[who] = await login(srv, who);
    const token = sessions[who].token;
    const g = await api(srv, 'GET', '/api/v1/users', { token });
    assert.deepEqual(fieldsOf(g, 403, 'auth.forbidden'), [], who);
    const p = await create(staff({ username: `by.${who.replace('.', '-')}`, role: 'admin' }), token);
    assert.deepEqual(fieldsOf(p, 403, 'auth.forbidden'), [], who);
  }
  const names = (await allUsers()).map((u) => u.username);
  assert.ok(!names.some((n) => n.startsWith('by.')), 'nobody was created');
});

test('anonymous requests to /api/v1/users → 401 auth.required', async () => {
  assert.deepEqual(fieldsOf(await api(srv, 'GET', '/api/v1/users'), 401, 'auth.required'), []);
  const p = await api(srv, 'POST', '/api/v1/users', { body: staff({ role: 'admin',
    username: 'anon.admin' }) });
  assert.deepEqual(fieldsOf(p, 401, 'auth.required'), []);
  // the body of an unauthorized request is not even looked at
  const junk = await api(srv, 'POST', '/api/v1/users', { body: '{not json' });
  assert.deepEqual(fieldsOf(junk, 401, 'auth.required'), []);
  assert.ok(!(await allUsers()).some((u) => u.username === 'anon.admin'));
});

test('a cookie-authenticated admin needs the CSRF token to create a user', async () => {
  const headers = { Cookie: `qiao_session=${admin.token}` };
  const r = await api(srv, 'POST', '/api/v1/users',
    { headers, body: staff({ username: 'csrf.auditor', role: 'auditor' }) });
  assert.deepEqual(fieldsOf(r, 403, 'auth.csrf'), []);
  assert.ok(!(await allUsers()).some((u) => u.username === 'csrf.auditor'));
  const ok = await api(srv, 'POST', '/api/v1/users', { headers: { ...headers,
    'X-CSRF-Token': admin.csrf_token }, body: staff({ username: 'csrf.auditor', role: 'auditor' }) });
  assert.equal(ok.status, 201, ok.text);
});

test('the user list pages through everyone in id order', async () => {
  const everyone = await allUsers();
  const ids = everyone.map((u) => u.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
  assert.ok(everyone.length >= 11);
  for (const u of everyone) {
    assert.deepEqual(Object.keys(u).sort(), ['active', 'centers', 'display_name', 'email', 'firm',
      'id', 'language', 'phone', 'role', 'username']);
  }
  const seen = [];
  let cursor = null;
  for (let page = 0; page < 20; page++) {
    const r = await api(srv, 'GET', `/api/v1/users?limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      { token: admin.token });
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.length <= 4);
    seen.push(...r.json.items);
    cursor = r.json.next_cursor;
    if (cursor === null) break;
    assert.equal(typeof cursor, 'string');
  }
  assert.equal(cursor, null);
  assert.deepEqual(seen, everyone);
  // default page size is 20
  const d = await api(srv, 'GET', '/api/v1/users', { token: admin.token });
  assert.equal(d.json.items.length, Math.min(20, everyone.length));
});

test('the role filter', async () => {
  const r = await api(srv, 'GET', '/api/v1/users?role=mediator&limit=100', { token: admin.token });
  assert.equal(r.status, 200);
  const names = r.json.items.map((u) => u.username);
  for (const n of ['mediator.chen', 'mediator.leong', 'mediator.wong', 'mediator.tnew']) {
    assert.ok(names.includes(n), n);
  }
  assert.ok(r.json.items.every((u) => u.role === 'mediator'));
  const lawyers = await api(srv, 'GET', '/api/v1/users?role=lawyer', { token: admin.token });
  assert.ok(lawyers.json.items.every((u) => u.role === 'lawyer' && u.firm === 'ZHM-LAW'));
  assert.equal(r.json.next_cursor, null);
});

test('centers are public; firms need a signed-in user', async () => {
  const c = await api(srv, 'GET', '/api/v1/centers');
  assert.equal(c.status, 200);
  assert.deepEqual(c.json.items.map((x) => x.code).sort(), ['HQ', 'MOF', 'ZHC']);
  const hq = c.json.items.find((x) => x.code === 'HQ');
  assert.deepEqual(hq, { code: 'HQ', name: 'Zhuhai–Macao Family Mediation Service Exchange Center',
    names: { en: 'Zhuhai–Macao Family Mediation Service Exchange Center',
      'zh-Hans': '珠澳家事调解服务交流中心', 'zh-Hant': '珠澳家事調解服務交流中心',
      pt: 'Centro de Intercâmbio de Serviços de Mediação Familiar Zhuhai–Macau' },
    jurisdiction: 'mainland', place: 'Hengqin', time_zone: 'Asia/Shanghai',
    default_language: 'zh-Hans', calendar: 'mainland', case_types: ['family'],
    cross_border: true });
  const mof = c.json.items.find((x) => x.code === 'MOF');
  assert.equal(mof.jurisdiction, 'macao');
  assert.equal(mof.time_zone, 'Asia/Macau');
  assert.equal(mof.cross_border, false);
  assert.deepEqual(c.json.items.find((x) => x.code === 'ZHC').case_types, ['commercial']);

  assert.deepEqual(fieldsOf(await api(srv, 'GET', '/api/v1/firms'), 401, 'auth.required'), []);
  const f = await api(srv, 'GET', '/api/v1/firms', { token: sessions['resident.li'].token });
  assert.equal(f.status, 200, f.text);
  assert.deepEqual(f.json, { items: [{ code: 'ZHM-LAW', name: '珠港澳聯營律師事務所 ZHM Joint Law Firm',
    joint: true, share_matters: true, offices: ['hong_kong', 'macao', 'zhuhai'] }] });
});
