// register.test.mjs: residents' self-registration (POST /api/v1/auth/register): the account it
// makes, and every rule that refuses one, checking that a refused registration wrote nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from './lib/server.mjs';

let srv, admin;
before(async () => {
  srv = await startServer();
  admin = await login(srv, 'admin');
});
after(async () => { await srv?.stop(); });

const PASSWORD = 'typhoon-season-77';
const reg = (over = {}) => ({ username: 'new.resident', password: PASSWORD,
  display_name: '黃小明', language: 'zh-Hant', phone: '+853 6612 3456', ...over });

async function register(body, lang) {
  return api(srv, 'POST', '/api/v1/auth/register', { body, lang });
}

// [[field, code]…] of a 400 request.validation reply.
function fieldsOf(r, status = 400, code = 'request.validation') {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error.code, code);
  assert.deepEqual(Object.keys(r.json.error).sort(), ['code', 'fields', 'message']);
  return r.json.error.fields.map((f) => [f.field, f.code]);
}

async function listed(username) {
  const r = await api(srv, 'GET', '/api/v1/users?limit=100', { token: admin.token });
  assert.equal(r.status, 200);
  return r.json.items.some((u) => u.username === username);
}

async function canLogIn(username, password) {
  const r = await api(srv, 'POST', '/api/v1/auth/login', { body: { username, password } });
  return r.status === 200 ? r.json : null;
}

test('registration creates a resident who can then sign in', async () => {
  const r = await register(reg({ email: 'ming@example.org' }));
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json, {
    id: r.json.id, username: 'new.resident', role: 'resident', display_name: '黃小明',
    language: 'zh-Hant', email: 'ming@example.org', phone: '+85366123456', firm: null,
    centers: [], active: true,
  });
  assert.equal(typeof r.json.id, 'number');
  assert.deepEqual(r.headers.getSetCookie(), [], 'registration does not sign in');
  assert.ok(!('token' in r.json));

  const s = await canLogIn('new.resident', PASSWORD);
  assert.ok(s, 'the new user can sign in');
  assert.equal(s.user.role, 'resident');
  assert.equal(s.user.id, r.json.id);
  const me = await api(srv, 'GET', '/api/v1/me', { token: s.token });
  assert.equal(me.json.role, 'resident');
  assert.equal(me.json.phone, '+85366123456');
  assert.ok(await listed('new.resident'));
  // a resident is not an admin
  assert.equal((await api(srv, 'GET', '/api/v1/users', { token: s.token })).status, 403);
});

test('an e-mail alone or a phone alone is enough', async () => {
  const a = await register(reg({ username: 'mail.only', phone: undefined,
    email: 'mail.only@example.org', language: 'pt' }));
  assert.equal(a.status, 201, a.text);
  assert.equal(a.json.phone, null);
  assert.equal(a.json.email, 'mail.only@example.org');
  const b = await register(reg({ username: 'phone.only', phone: '+86 138-0756-9999',
    language: 'zh-Hans' }));
  assert.equal(b.status, 201, b.text);
  assert.equal(b.json.email, null);
  assert.equal(b.json.phone, '+8613807569999');
});

test('a duplicate user name → 409 user.username_taken; the first account is untouched', async () => {
  const first = await register(reg({ username: 'dup.name', email: 'first@example.org' }));
  assert.equal(first.status, 201, first.text);
  const again = await register(reg({ username: 'dup.name', password: 'another-passphrase-9',
    display_name: 'Impostor', email: 'second@example.org' }));
  assert.deepEqual(fieldsOf(again, 409, 'user.username_taken'), [['username', 'taken']]);
  assert.equal(await canLogIn('dup.name', 'another-passphrase-9'), null);
  const s = await canLogIn('dup.name', PASSWORD);
  assert.ok(s);
  assert.equal(s.user.display_name, '黃小明');
  assert.equal(s.user.email, 'first@example.org');
  // a demo account's name is taken as well
  const demo = await register(reg({ username: 'admin' }));
  assert.deepEqual(fieldsOf(demo, 409, 'user.username_taken'), [['username', 'taken']]);
});

test('weak, common and short passwords are refused', async () => {
  const cases = [
    ['short1', 'password_short'],
    ['abc12345!', 'password_short'], // 9 characters
    ['密碼密碼密碼密碼密', 'password_short'], // 9 characters, 27 bytes
    ['password123', 'password_common'],
    ['PASSWORD123', 'password_common'],
    ['1234567890', 'password_common'],
    ['qwertyuiop', 'password_common'],
    ['woaini1314', 'password_common'],
    ['aaaaaaaaaaaa', 'password_common'], // one character repeated
    ['abcdefghijklm', 'password_common'], // a straight run
    ['weak.pw.user', 'password_common'], // the user name itself
  ];
  for (const [password, code] of cases) {
    const r = await register(reg({ username: 'weak.pw.user', password }), 'en');
    assert.deepEqual(fieldsOf(r), [['password', code]], password);
    if (code === 'password_short') {
      assert.equal(r.json.error.fields[0].message, 'Too short: at least 10 characters.');
    }
  }
  const long = await register(reg({ username: 'weak.pw.user', password: 'x'.repeat(257) }));
  assert.deepEqual(fieldsOf(long), [['password', 'too_long']]);
  const longBytes = await register(reg({ username: 'weak.pw.user', password: '澳'.repeat(100) }));
  assert.deepEqual(fieldsOf(longBytes), [['password', 'password_long']]);
  // ten characters of CJK are enough
  assert.ok(!(await listed('weak.pw.user')));
  const cjk = await register(reg({ username: 'cjk.pw.user', password: '澳門半島氹仔路環橫琴' }));
  assert.equal(cjk.status, 201, cjk.text);
  assert.ok(await canLogIn('cjk.pw.user', '澳門半島氹仔路環橫琴'));
});

test('bad e-mail addresses and phone numbers are refused', async () => {
  for (const email of ['not-an-email', 'a@b', 'a b@example.org', '@example.org', 'a@@example.org',
    'a@example.', 'a@.org', 'a@example.org,b@example.org', '<a@example.org>']) {
    const r = await register(reg({ username: 'bad.contact', phone: undefined, email }));
    assert.deepEqual(fieldsOf(r), [['email', 'email_format']], email);
  }
  for (const phone of ['66123456', '+853 66', '+853 6612 3456 7890 1234', '+853-6612-345x',
    '(853) 6612 3456', '+ 853 +6612']) {
    const r = await register(reg({ username: 'bad.contact', phone }));
    assert.deepEqual(fieldsOf(r), [['phone', 'phone_format']], phone);
  }
  const both = await register(reg({ username: 'bad.contact', phone: '123', email: 'x' }));
  assert.deepEqual(fieldsOf(both), [['email', 'too_short'], ['phone', 'too_short']]);
  assert.ok(!(await listed('bad.contact')));
});

test('missing both e-mail and phone → field email, code email_or_phone', async () => {
  const r = await register(reg({ username: 'no.contact', phone: undefined }), 'en');
  assert.deepEqual(fieldsOf(r), [['email', 'email_or_phone']]);
  assert.equal(r.json.error.fields[0].message, 'Give an e-mail address or a phone number.');
  assert.ok(!(await listed('no.contact')));
});

// null is "absent" for the field checks, so it must be absent for the e-mail-or-phone rule too.
test('e-mail and phone given as null count as missing (email_or_phone)', async () => {
  const r = await register(reg({ username: 'null.contact', phone: null, email: null }));
  assert.deepEqual(fieldsOf(r), [['email', 'email_or_phone']]);
  assert.ok(!(await listed('null.contact')), 'no account without any contact was created');
});

test('user names: 3–32 of a-z 0-9 . _ -, starting with a letter or digit', async () => {
  for (const username of ['Alice', 'alice!', '_alice', '.alice', '-alice', 'al ice', 'ali\u00e7e',
    '李明明', 'alice@home']) {
    const r = await register(reg({ username }));
    assert.deepEqual(fieldsOf(r), [['username', 'username_format']], username);
  }
  assert.deepEqual(fieldsOf(await register(reg({ username: 'ab' }))), [['username', 'too_short']]);
  assert.deepEqual(fieldsOf(await register(reg({ username: 'a'.repeat(33) }))),
    [['username', 'too_long']]);
  for (const username of ['abc', '9lives', 'a.b_c-d', 'x'.repeat(32)]) {
    const r = await register(reg({ username, password: 'monsoon-harbour-31' }));
    assert.equal(r.status, 201, `${username}: ${r.text}`);
  }
});

test('language and display name are required and checked', async () => {
  const r = await register({ username: 'lang.check', password: PASSWORD, email: 'l@example.org',
    language: 'zh-CN', display_name: '' });
  assert.deepEqual(fieldsOf(r), [['display_name', 'required'], ['language', 'choice']]);
  const m = await register({ username: 'lang.check', password: PASSWORD, email: 'l@example.org' });
  assert.deepEqual(fieldsOf(m), [['display_name', 'required'], ['language', 'required']]);
  assert.ok(!(await listed('lang.check')));
});

test('a registration cannot choose its role or affiliations', async () => {
  const r = await register(reg({ username: 'wants.admin', role: 'admin', centers: ['HQ'],
    firm: 'ZHM-LAW' }));
  assert.deepEqual(fieldsOf(r).sort(), [['centers', 'unknown'], ['firm', 'unknown'],
    ['role', 'unknown']]);
  assert.ok(!(await listed('wants.admin')));
});

test('every problem of a registration is reported at once', async () => {
  const r = await register({ username: 'Bad Name', password: 'short', display_name: 'X',
    language: 'en', email: 'nope', phone: '12345' });
  assert.deepEqual(fieldsOf(r), [['username', 'username_format'], ['password', 'password_short'],
    ['email', 'email_format'], ['phone', 'phone_format']]);
});

test('concurrent registrations of one user name: exactly one wins, the others get 409', async () => {
  const rs = await Promise.all(Array.from({ length: 6 }, (_, i) => register(reg({
    username: 'race.name', display_name: `Racer ${i}`, phone: undefined,
    email: `racer${i}@example.org` }))));
  const statuses = rs.map((r) => r.status).sort();
  assert.deepEqual(statuses, [201, 409, 409, 409, 409, 409], rs.map((r) => r.text).join('\n'));
  for (const r of rs.filter((x) => x.status === 409)) {
    assert.equal(r.json.error.code, 'user.username_taken');
  }
  const winner = rs.find((r) => r.status === 201).json;
  const s = await canLogIn('race.name', PASSWORD);
  assert.equal(s.user.id, winner.id);
  assert.equal(s.user.email, winner.email);
});
