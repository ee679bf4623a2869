/**
 * The simulator against a raw client written from ../shared/protocols/kiwoom-rest.md — not against our adapter —
 * so the simulator follows the reference, not the adapter's habits.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SymbolId } from '../../../lib/contracts';
import { MarketEngine } from '../../market/market-engine';
import { KiwoomSimulator, SIM_APP_KEY, SIM_ISSUED_CREDENTIALS, SIM_SECRET_KEY, WS_PATH, type KiwoomSimulatorOptions } from './simulator';
import { post, rawClient, waitFor, type RawClient } from './test-helpers';

const SYMBOLS: SymbolId[] = ['KRX:005930', 'KRX:000660', 'KRX:035720'];
const KST_DATETIME = /^\d{14}$/;

let engine: MarketEngine;
let sim: KiwoomSimulator;
let restUrl: string;
let wsUrl: string;
const clients: RawClient[] = [];

async function startSim(options: Partial<KiwoomSimulatorOptions> = {}) {
  engine = new MarketEngine({ seed: 11, alwaysOpen: true, activity: 4, stepMs: 20, symbols: SYMBOLS });
  sim = new KiwoomSimulator({ engine, ...options });
  ({ restUrl, wsUrl } = await sim.start());
  engine.start();
}

async function token(): Promise<string> {
  const answer = await post(`${restUrl}/oauth2/token`, { grant_type: 'client_credentials', appkey: SIM_APP_KEY, secretkey: SIM_SECRET_KEY });
  return answer.body.token as string;
}

async function loggedIn(options: { echoPing?: boolean } = {}): Promise<RawClient> {
  const client = await rawClient(`${wsUrl}${WS_PATH}`, options);
  clients.push(client);
  client.send({ trnm: 'LOGIN', token: await token() });
  await client.next((f) => f.trnm === 'LOGIN', 'LOGIN ack');
  return client;
}

function tr(apiId: string, path: string, body: unknown, bearer: string, extra: Record<string, string> = {}) {
  return post(`${restUrl}${path}`, body, { 'api-id': apiId, authorization: `Bearer ${bearer}`, ...extra });
}

beforeEach(() => {
  clients.length = 0;
});

afterEach(async () => {
  for (const client of clients) client.close();
  engine.stop();
  await sim.stop();
});

describe('Kiwoom simulator: OAuth and REST', () => {
  beforeEach(() => startSim());

  it('issues a token with expires_dt in KST, refuses wrong keys, and revokes', async () => {
    const before = Date.now();
    const issued = await post(`${restUrl}/oauth2/token`, { grant_type: 'client_credentials', appkey: SIM_APP_KEY, secretkey: SIM_SECRET_KEY });
    expect(issued.body).toMatchObject({ return_code: 0, token_type: 'Bearer' });
    const dt = issued.body.expires_dt as string;
    expect(dt).toMatch(KST_DATETIME);
    const expires = Date.UTC(+dt.slice(0, 4), +dt.slice(4, 6) - 1, +dt.slice(6, 8), +dt.slice(8, 10) - 9, +dt.slice(10, 12), +dt.slice(12, 14));
    expect(expires - before).toBeGreaterThan(23 * 3_600_000);
    expect(expires - before).toBeLessThanOrEqual(24 * 3_600_000);

    const wrong = await post(`${restUrl}/oauth2/token`, { grant_type: 'client_credentials', appkey: 'nope', secretkey: 'nope' });
    expect(wrong.body.return_code).toBe(8001);

    const t = issued.body.token as string;
    const revoked = await post(`${restUrl}/oauth2/revoke`, { appkey: SIM_APP_KEY, secretkey: SIM_SECRET_KEY, token: t });
    expect(revoked.body.return_code).toBe(0);
    expect((await tr('ka00001', '/api/dostk/acnt', {}, t)).body.return_code).toBe(8005);
  });

  it('checks api-id against the path and the bearer token; an expired token answers 8005', async () => {
    const t = await token();
    expect((await tr('kt10000', '/api/dostk/acnt', {}, t)).body.return_code).toBe(1504);
    expect((await tr('zz99999', '/api/dostk/acnt', {}, t)).body.return_code).toBe(1505);
    expect((await post(`${restUrl}/api/dostk/acnt`, {}, { 'api-id': 'ka00001' })).body.return_code).toBe(1513);
    const ok = await tr('ka00001', '/api/dostk/acnt', {}, t);
    expect(ok.body).toMatchObject({ return_code: 0, acctNo: sim.account.accountNo });
    sim.expireTokens();
    expect((await tr('ka00001', '/api/dostk/acnt', {}, t)).body.return_code).toBe(8005);
  });

  it('rate-limit switch answers 1700 for the next calls', async () => {
    const t = await token();
    sim.rateLimitNext(1);
    expect((await tr('kt00001', '/api/dostk/acnt', { qry_tp: '3' }, t)).body.return_code).toBe(1700);
    expect((await tr('kt00001', '/api/dostk/acnt', { qry_tp: '3' }, t)).body.return_code).toBe(0);
  });

  it('places, pages, modifies and cancels paper orders; kt00018/kt00001 follow the fills', async () => {
    const t = await token();
    const client = await loggedIn();
    client.send({ trnm: 'REG', grp_no: '2', refresh: '1', data: [{ item: [''], type: ['00', '04'] }] });
    await client.next((f) => f.trnm === 'REG', 'account REG ack');

    const buy = await tr('kt10000', '/api/dostk/ordr', { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '3', ord_uv: '', trde_tp: '3', cond_uv: '' }, t);
    expect(buy.body).toMatchObject({ return_code: 0, dmst_stex_tp: 'KRX' });
    expect(buy.body.ord_no).toMatch(/^\d{7}$/);
    const fill = await client.next((f) => f.trnm === 'REAL' && (f.data as Array<{ type: string; values: Record<string, string> }>).some((d) => d.type === '00' && d.values['913'] === '체결'), '00 fill');
    const items = fill.data as Array<{ type: string; values: Record<string, string> }>;
    expect(items.find((d) => d.type === '00')!.values).toMatchObject({ '9201': sim.account.accountNo, '9203': buy.body.ord_no, '907': '2', '906': '시장가' });
    await client.next((f) => f.trnm === 'REAL' && (f.data as Array<{ type: string }>).some((d) => d.type === '04'), '04 balance');

    const evaluation = await tr('kt00018', '/api/dostk/acnt', { qry_tp: '1', dmst_stex_tp: 'KRX' }, t);
    const rows = evaluation.body.acnt_evlt_remn_indv_tot as Array<Record<string, string>>;
    expect(rows[0]).toMatchObject({ stk_cd: 'A005930', rmnd_qty: '000000000000003' });
    const deposit = await tr('kt00001', '/api/dostk/acnt', { qry_tp: '3' }, t);
    expect(Number(deposit.body.entr)).toBeLessThan(100_000_000);

    // 25 resting limit buys far below the market: ka10075 pages them with cont-yn/next-key.
    const low = engine.state('KRX:005930')!.lowerLimit!;
    for (let i = 0; i < 25; i++) {
      const r = await tr('kt10000', '/api/dostk/ordr', { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '1', ord_uv: String(low), trde_tp: '0', cond_uv: '' }, t);
      expect(r.body.return_code).toBe(0);
    }
    const page1 = await tr('ka10075', '/api/dostk/acnt', { all_stk_tp: '0', trde_tp: '0', stk_cd: '', stex_tp: '0' }, t);
    expect(page1.headers.get('cont-yn')).toBe('Y');
    const page2 = await tr('ka10075', '/api/dostk/acnt', { all_stk_tp: '0', trde_tp: '0', stk_cd: '', stex_tp: '0' }, t, { 'cont-yn': 'Y', 'next-key': page1.headers.get('next-key')! });
    expect(page2.headers.get('cont-yn')).toBe('N');
    const all = [...(page1.body.oso as unknown[]), ...(page2.body.oso as unknown[])] as Array<Record<string, string>>;
    expect(all).toHaveLength(25);

    const target = all[0]!.ord_no!;
    const modified = await tr('kt10002', '/api/dostk/ordr', { dmst_stex_tp: 'KRX', orig_ord_no: target, stk_cd: '005930', mdfy_qty: '0', mdfy_uv: String(low + 100), mdfy_cond_uv: '' }, t);
    expect(modified.body).toMatchObject({ return_code: 0, base_orig_ord_no: target });
    const cancelled = await tr('kt10003', '/api/dostk/ordr', { dmst_stex_tp: 'KRX', orig_ord_no: modified.body.ord_no, stk_cd: '005930', cncl_qty: '0' }, t);
    expect(cancelled.body).toMatchObject({ return_code: 0, cncl_qty: '000000000001' });
    await client.next(
      (f) => f.trnm === 'REAL' && (f.data as Array<{ values: Record<string, string> }>).some((d) => d.values['905'] === '+매수취소' && d.values['904'] === modified.body.ord_no),
      '00 cancel confirmation',
    );
    const again = await tr('kt10003', '/api/dostk/ordr', { dmst_stex_tp: 'KRX', orig_ord_no: modified.body.ord_no, stk_cd: '005930', cncl_qty: '0' }, t);
    expect(again.body.return_code).not.toBe(0);
  });
});

describe('Kiwoom simulator: WebSocket session', () => {
  it('LOGIN with a bad token fails naming CODE=8005 and closes; with a good one it acks before anything else', async () => {
    await startSim();
    const bad = await rawClient(`${wsUrl}${WS_PATH}`);
    clients.push(bad);
    bad.send({ trnm: 'LOGIN', token: 'not-a-token' });
    const refused = await bad.next((f) => f.trnm === 'LOGIN', 'LOGIN refusal');
    expect(refused.return_code).toBe(1);
    expect(refused.return_msg).toMatch(/CODE=8005/);
    await waitFor(() => bad.closed !== null, 'close after failed LOGIN');

    const good = await loggedIn();
    expect(good.frames[0]).toEqual({ trnm: 'LOGIN', return_code: 0, return_msg: '', sor_yn: 'Y' });
  });

  it('sends PING on an interval; a client that does not echo gets SYSTEM R10002 and is closed', async () => {
    await startSim({ pingIntervalMs: 100 });
    const deaf = await loggedIn({ echoPing: false });
    const polite = await loggedIn();
    await deaf.next((f) => f.trnm === 'SYSTEM', 'R10002');
    expect(deaf.frames.find((f) => f.trnm === 'SYSTEM')).toMatchObject({ code: 'R10002', message: expect.stringContaining('Heartbeat') });
    await waitFor(() => deaf.closed !== null, 'heartbeat close');
    // The echoing client outlives several PING rounds.
    await waitFor(() => polite.frames.filter((f) => f.trnm === 'PING').length >= 4, 'four PINGs to the polite client');
    expect(polite.closed).toBeNull();
    expect(polite.frames.some((f) => f.trnm === 'SYSTEM')).toBe(false);
  });

  it('REG per group → REAL 0B/0D for registered items only, several items per frame; REMOVE stops a type', async () => {
    await startSim();
    const client = await loggedIn();
    client.send({ trnm: 'REG', grp_no: '1', refresh: '1', data: [{ item: ['005930', '000660'], type: ['0B', '0D'] }] });
    expect(await client.next((f) => f.trnm === 'REG', 'REG ack')).toEqual({ trnm: 'REG', return_code: 0, return_msg: '' });
    type Item = { type: string; item: string; values: Record<string, string> };
    const items = () => client.frames.filter((f) => f.trnm === 'REAL').flatMap((f) => f.data as Item[]);
    await waitFor(() => client.frames.some((f) => f.trnm === 'REAL' && (f.data as unknown[]).length >= 2), 'a REAL frame with several items', 15_000);
    await waitFor(() => new Set(items().map((i) => `${i.type}:${i.item}`)).size === 4, '0B and 0D for both codes', 15_000);
    expect(new Set(items().map((i) => i.item))).toEqual(new Set(['005930', '000660']));
    const trade = items().find((i) => i.type === '0B')!;
    expect(trade.values['10']).toMatch(/^[+-]?\d+$/);
    expect(trade.values['20']).toMatch(/^\d{6}$/);
    const book = items().find((i) => i.type === '0D')!;
    expect(book.values['41']).toMatch(/^[+-]?\d+$/);
    expect(book.values['51']).toMatch(/^[+-]?\d+$/);

    client.send({ trnm: 'REMOVE', grp_no: '1', refresh: '1', data: [{ item: ['005930', '000660'], type: ['0D'] }] });
    await client.next((f) => f.trnm === 'REMOVE', 'REMOVE ack');
    expect(sim.registrations()).toEqual({ '0B': ['000660', '005930'] });
    const mark = client.frames.length;
    await waitFor(() => client.frames.slice(mark).filter((f) => f.trnm === 'REAL').length >= 3, 'more REAL frames');
    const later = client.frames.slice(mark + 1).filter((f) => f.trnm === 'REAL').flatMap((f) => f.data as Array<{ type: string }>);
    expect(later.every((i) => i.type === '0B')).toBe(true);
  });

  it('batch(n) puts n items in each REAL frame', async () => {
    await startSim();
    const client = await loggedIn();
    sim.batch(5);
    client.send({ trnm: 'REG', grp_no: '1', refresh: '1', data: [{ item: ['005930', '000660', '035720'], type: ['0B', '0D'] }] });
    await client.next((f) => f.trnm === 'REG', 'REG ack');
    await waitFor(() => client.frames.filter((f) => f.trnm === 'REAL').length >= 4, 'four REAL frames', 15_000);
    const sizes = client.frames.filter((f) => f.trnm === 'REAL').map((f) => (f.data as unknown[]).length);
    expect(sizes.filter((n) => n === 5).length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...sizes)).toBe(5);
  });

  it('refuses past the group item limit and unknown codes; refresh "0" replaces a group', async () => {
    await startSim({ groupItemLimit: 2 });
    const client = await loggedIn();
    client.send({ trnm: 'REG', grp_no: '1', refresh: '1', data: [{ item: ['005930', '000660', '035720'], type: ['0B'] }] });
    const refused = await client.next((f) => f.trnm === 'REG', 'REG refusal');
    expect(refused.return_code).toBe(1);
    client.send({ trnm: 'REG', grp_no: '1', refresh: '1', data: [{ item: ['999999'], type: ['0B'] }] });
    await waitFor(() => client.frames.filter((f) => f.trnm === 'REG').length === 2, 'second ack');
    expect(client.frames.filter((f) => f.trnm === 'REG')[1]!.return_code).toBe(1);
    client.send({ trnm: 'REG', grp_no: '1', refresh: '1', data: [{ item: ['005930', '000660'], type: ['0B'] }] });
    client.send({ trnm: 'REG', grp_no: '1', refresh: '0', data: [{ item: ['035720'], type: ['0B'] }] });
    await waitFor(() => client.frames.filter((f) => f.trnm === 'REG').length === 4, 'four acks');
    expect(client.frames.filter((f) => f.trnm === 'REG').slice(2).map((f) => f.return_code)).toEqual([0, 0]);
    expect(sim.registrations()).toEqual({ '0B': ['035720'] });
  });

  it('condition search: silent without CNSRLST; list, one-shot, live with limit, CNSRCLR', async () => {
    await startSim({ liveConditionLimit: 1 });
    const client = await loggedIn();
    client.send({ trnm: 'CNSRREQ', seq: '1', search_type: '0', stex_tp: 'K', cont_yn: 'N', next_key: '' });
    client.send({ trnm: 'CNSRLST' });
    const list = await client.next((f) => f.trnm === 'CNSRLST', 'CNSRLST');
    // The first CNSRREQ came before CNSRLST on this socket: no answer to it (§6).
    expect(client.frames.some((f) => f.trnm === 'CNSRREQ')).toBe(false);
    expect(list.data).toEqual([['0', '상승추세'], ['1', '거래량급증'], ['2', '신고가돌파'], ['3', '골든크로스'], ['4', '급등주']]);

    let mark = client.frames.length;
    client.send({ trnm: 'CNSRREQ', seq: '2', search_type: '0', stex_tp: 'K', cont_yn: 'N', next_key: '' });
    const oneShot = await client.next((f) => f.trnm === 'CNSRREQ', 'one-shot', mark);
    expect(oneShot).toMatchObject({ seq: '2', return_code: 0 });
    for (const row of oneShot.data as Array<Record<string, string>>) {
      expect(row['9001']).toMatch(/^A\d{6}$/);
      expect(row['10']).toMatch(/^\d{9}$/);
    }

    mark = client.frames.length;
    client.send({ trnm: 'CNSRREQ', seq: '1', search_type: '1', stex_tp: 'K' });
    expect(await client.next((f) => f.trnm === 'CNSRREQ', 'live ack', mark)).toMatchObject({ seq: '1', return_code: 0 });
    mark = client.frames.length;
    client.send({ trnm: 'CNSRREQ', seq: '0', search_type: '1', stex_tp: 'K' });
    const limited = await client.next((f) => f.trnm === 'CNSRREQ', 'live refusal', mark);
    expect(limited.return_code).toBe(1);
    expect(limited.return_msg).toMatch(/최대 1개/);
    expect(sim.liveConditions()).toEqual(['1']);

    client.send({ trnm: 'CNSRCLR', seq: '1' });
    expect(await client.next((f) => f.trnm === 'CNSRCLR', 'CNSRCLR')).toEqual({ trnm: 'CNSRCLR', seq: '1', return_code: 0, return_msg: '' });
    expect(sim.liveConditions()).toEqual([]);
  });

  it('ignores malformed client frames and keeps the session; closes a socket that never logs in', async () => {
    await startSim({ loginTimeoutMs: 100 });
    const client = await loggedIn();
    client.send('{not json');
    client.send({ trnm: 'WHAT' });
    client.send({ trnm: 'CNSRLST' });
    await client.next((f) => f.trnm === 'CNSRLST', 'still answering');
    expect(sim.stats.badFrames).toBe(2);
    const idle = await rawClient(`${wsUrl}${WS_PATH}`);
    clients.push(idle);
    await waitFor(() => idle.closed !== null, 'close without LOGIN');
  });
});

describe('Kiwoom simulator: several customers', () => {
  beforeEach(() => startSim({ issued: [SIM_ISSUED_CREDENTIALS] }));

  type Item = { type: string; values: Record<string, string> };
  const items = (frame: Record<string, unknown>) => (frame.trnm === 'REAL' ? (frame.data as Item[]) : []);

  async function customer(appkey: string, secretkey: string) {
    const answer = await post(`${restUrl}/oauth2/token`, { grant_type: 'client_credentials', appkey, secretkey });
    expect(answer.body.return_code).toBe(0);
    const t = answer.body.token as string;
    const client = await rawClient(`${wsUrl}${WS_PATH}`);
    clients.push(client);
    client.send({ trnm: 'LOGIN', token: t });
    await client.next((f) => f.trnm === 'LOGIN' && f.return_code === 0, 'LOGIN ack');
    client.send({ trnm: 'REG', grp_no: '2', refresh: '1', data: [{ item: [''], type: ['00', '04'] }] });
    await client.next((f) => f.trnm === 'REG', 'account REG ack');
    return { token: t, client };
  }

  it('gives each issued key its own account, orders and pushes; unknown keys get 8001', async () => {
    const wrong = await post(`${restUrl}/oauth2/token`, { grant_type: 'client_credentials', appkey: SIM_ISSUED_CREDENTIALS.appKey, secretkey: SIM_SECRET_KEY });
    expect(wrong.body).toMatchObject({ return_code: 8001 });

    const first = await customer(SIM_APP_KEY, SIM_SECRET_KEY);
    const second = await customer(SIM_ISSUED_CREDENTIALS.appKey, SIM_ISSUED_CREDENTIALS.secretKey);
    expect((await tr('ka00001', '/api/dostk/acnt', {}, second.token)).body.acctNo).toBe(SIM_ISSUED_CREDENTIALS.accountNo);
    expect((await tr('ka00001', '/api/dostk/acnt', {}, first.token)).body.acctNo).toBe(sim.account.accountNo);

    const order = { dmst_stex_tp: 'KRX', ord_qty: '2', ord_uv: '', trde_tp: '3', cond_uv: '' };
    expect((await tr('kt10000', '/api/dostk/ordr', { ...order, stk_cd: '000660' }, second.token)).body.return_code).toBe(0);
    await second.client.next((f) => items(f).some((d) => d.type === '00' && d.values['9201'] === SIM_ISSUED_CREDENTIALS.accountNo && d.values['913'] === '체결'), 'second customer fill');
    expect((await tr('kt10000', '/api/dostk/ordr', { ...order, stk_cd: '005930' }, first.token)).body.return_code).toBe(0);
    await first.client.next((f) => items(f).some((d) => d.type === '00' && d.values['913'] === '체결'), 'first customer fill');

    // The second customer's fill was pushed before the first customer's order existed: had it leaked to the first
    // customer's socket, it would already be there.
    expect(first.client.frames.flatMap(items).every((d) => d.values['9201'] !== SIM_ISSUED_CREDENTIALS.accountNo)).toBe(true);
    const holdings = async (t: string) =>
      ((await tr('kt00018', '/api/dostk/acnt', { qry_tp: '1', dmst_stex_tp: 'KRX' }, t)).body.acnt_evlt_remn_indv_tot as Array<Record<string, string>>).map((r) => r.stk_cd);
    expect(await holdings(first.token)).toEqual(['A005930']);
    expect(await holdings(second.token)).toEqual(['A000660']);
  });
});
