/**
 * The simulator's own rules, proven with a raw client written from protocols/kis.md (plain `ws`, `fetch` and
 * node:crypto; not the adapter and not the codec), so the simulator follows the reference, not our adapter.
 */
import { createDecipheriv } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MarketEngine } from '../../market/market-engine';
import { waitFor } from '../../relay/test-socket';
import { KisSimulator, SIM_ACCOUNT, SIM_APP_KEY, SIM_APP_SECRET, SIM_HTS_ID, SIM_ISSUED_CREDENTIALS, type KisSimulatorOptions } from './simulator';

let clock = Date.UTC(2026, 5, 5, 0, 30, 0);
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function start(options: Partial<KisSimulatorOptions> = {}) {
  const engine = new MarketEngine({ seed: 9, alwaysOpen: true, activity: 20 });
  const sim = new KisSimulator({ engine, now: () => clock, ...options });
  const urls = await sim.start();
  cleanups.push(() => sim.stop());
  return { sim, engine, ...urls };
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, any>, headers: res.headers };
}

async function approval(restUrl: string): Promise<string> {
  const { json } = await post(`${restUrl}/oauth2/Approval`, { grant_type: 'client_credentials', appkey: SIM_APP_KEY, secretkey: SIM_APP_SECRET });
  return json.approval_key as string;
}

/** A raw WebSocket client that keeps every text frame. */
async function connect(wsUrl: string) {
  const ws = new WebSocket(wsUrl);
  const frames: string[] = [];
  let closed: number | null = null;
  ws.on('message', (data) => frames.push(data.toString()));
  ws.on('close', (code) => (closed = code));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  cleanups.push(() => ws.terminate());
  const request = (approvalKey: string, trType: string, trId: string, trKey: string) =>
    ws.send(`{"header":{"approval_key":"${approvalKey}","custtype":"P","tr_type":"${trType}","content-type":"utf-8"},"body":{"input":{"tr_id":"${trId}","tr_key":"${trKey}"}}}`);
  const next = async (predicate: (f: string) => boolean, what: string) => {
    await waitFor(() => frames.some(predicate), what);
    const i = frames.findIndex(predicate);
    return frames.splice(i, 1)[0]!;
  };
  return { ws, frames, request, next, closed: () => closed };
}

const ackFor = (trId: string, trKey: string) => (f: string) => f.startsWith('{') && f.includes(`"tr_id":"${trId}","tr_key":"${trKey}"`);

describe('KIS simulator REST', () => {
  it('issues a token, returns the same one on a later request, and refuses a second request inside a minute', async () => {
    const { restUrl, sim } = await start();
    const body = { grant_type: 'client_credentials', appkey: SIM_APP_KEY, appsecret: SIM_APP_SECRET };
    const first = await post(`${restUrl}/oauth2/tokenP`, body);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ token_type: 'Bearer', expires_in: 86_400 });
    expect(first.json.access_token_token_expired).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    clock += 30_000;
    const early = await post(`${restUrl}/oauth2/tokenP`, body);
    expect(early.status).toBe(403);
    expect(early.json).toEqual({ error_code: 'EGW00133', error_description: '접근토큰 발급 잠시 후 다시 시도하세요(1분당 1회)' });
    clock += 31_000;
    const again = await post(`${restUrl}/oauth2/tokenP`, body);
    expect(again.json.access_token).toBe(first.json.access_token);
    expect(sim.stats.tokensIssued).toBe(1);
    expect((await post(`${restUrl}/oauth2/tokenP`, { ...body, appsecret: 'x' })).status).toBe(403);
  });

  it('gives an approval key only for `secretkey` (not `appsecret`)', async () => {
    const { restUrl } = await start();
    const wrong = await post(`${restUrl}/oauth2/Approval`, { grant_type: 'client_credentials', appkey: SIM_APP_KEY, appsecret: SIM_APP_SECRET });
    expect(wrong.status).toBe(403);
    expect(await approval(restUrl)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('places a paper order and pages inquire-balance with tr_cont and CTX_AREA_NK100', async () => {
    const { restUrl } = await start({ balancePageSize: 1 });
    clock += 120_000;
    const token = (await post(`${restUrl}/oauth2/tokenP`, { grant_type: 'client_credentials', appkey: SIM_APP_KEY, appsecret: SIM_APP_SECRET })).json.access_token;
    const headers = (trId: string, trCont = '') => ({ authorization: `Bearer ${token}`, appkey: SIM_APP_KEY, appsecret: SIM_APP_SECRET, tr_id: trId, custtype: 'P', tr_cont: trCont });
    const [cano, product] = SIM_ACCOUNT.split('-');
    for (const code of ['005930', '000660']) {
      const order = await post(`${restUrl}/uapi/domestic-stock/v1/trading/order-cash`, { CANO: cano, ACNT_PRDT_CD: product, PDNO: code, ORD_DVSN: '01', ORD_QTY: '2', ORD_UNPR: '0' }, headers('VTTC0012U'));
      expect(order.json).toMatchObject({ rt_cd: '0', msg_cd: 'APBK0013', output: { KRX_FWDG_ORD_ORGNO: expect.any(String), ODNO: expect.stringMatching(/^\d{10}$/) } });
    }
    const page = async (trCont: string, nk: string) => {
      const q = new URLSearchParams({ CANO: cano!, ACNT_PRDT_CD: product!, AFHR_FLPR_YN: 'N', OFL_YN: '', INQR_DVSN: '02', UNPR_DVSN: '01', FUND_STTL_ICLD_YN: 'N', FNCG_AMT_AUTO_RDPT_YN: 'N', PRCS_DVSN: '00', CTX_AREA_FK100: '', CTX_AREA_NK100: nk });
      const res = await fetch(`${restUrl}/uapi/domestic-stock/v1/trading/inquire-balance?${q}`, { headers: headers('VTTC8434R', trCont) });
      return { trCont: res.headers.get('tr_cont'), json: (await res.json()) as Record<string, any> };
    };
    const one = await page('', '');
    expect(one.trCont).toBe('M');
    expect(one.json.output1.map((r: any) => [r.pdno, r.hldg_qty])).toEqual([['005930', '2']]);
    const two = await page('N', one.json.ctx_area_nk100);
    expect(two.trCont).toBe('D');
    expect(two.json.output1.map((r: any) => [r.pdno, r.hldg_qty])).toEqual([['000660', '2']]);
    expect(Number(two.json.output2[0].dnca_tot_amt)).toBeLessThan(100_000_000);

    const stranger = await fetch(`${restUrl}/uapi/domestic-stock/v1/trading/inquire-balance`, { headers: { ...headers('VTTC8434R'), authorization: 'Bearer nope' } });
    expect(await stranger.json()).toMatchObject({ rt_cd: '1', msg_cd: 'EGW00121' });
    clock += 86_400_000;
    const late = await fetch(`${restUrl}/uapi/domestic-stock/v1/trading/inquire-balance`, { headers: headers('VTTC8434R') });
    expect(await late.json()).toMatchObject({ rt_cd: '1', msg_cd: 'EGW00123' });
  });
});

describe('KIS simulator WebSocket', () => {
  it('acks a registration with OPSP0000, iv and key; refuses a duplicate, a bad approval, and unregisters with "2"', async () => {
    const { restUrl, wsUrl } = await start();
    const key = await approval(restUrl);
    const c = await connect(wsUrl);
    c.request(key, '1', 'H0STCNT0', '005930');
    const ack = JSON.parse(await c.next(ackFor('H0STCNT0', '005930'), 'ack'));
    expect(ack.header).toEqual({ tr_id: 'H0STCNT0', tr_key: '005930', encrypt: 'N' });
    expect(ack.body).toMatchObject({ rt_cd: '0', msg_cd: 'OPSP0000', msg1: 'SUBSCRIBE SUCCESS' });
    expect(ack.body.output.iv).toMatch(/^[0-9a-f]{16}$/);
    expect(ack.body.output.key).toMatch(/^[a-z]{32}$/);
    c.request(key, '1', 'H0STCNT0', '005930');
    expect(JSON.parse(await c.next(ackFor('H0STCNT0', '005930'), 'dup')).body).toEqual({ rt_cd: '1', msg_cd: 'OPSP0002', msg1: 'ALREADY IN SUBSCRIBE' });
    c.request('00000000-0000-0000-0000-000000000000', '1', 'H0STASP0', '005930');
    expect(JSON.parse(await c.next(ackFor('H0STASP0', '005930'), 'bad approval')).body).toMatchObject({ msg_cd: 'OPSP0011', msg1: 'invalid approval : 00000000-0000-0000-0000-000000000000' });
    c.request(key, '2', 'H0STCNT0', '005930');
    expect(JSON.parse(await c.next(ackFor('H0STCNT0', '005930'), 'unsub')).body).toMatchObject({ rt_cd: '0', msg_cd: 'OPSP0001', msg1: 'UNSUBSCRIBE SUCCESS' });
    c.request(key, '2', 'H0STCNT0', '005930');
    expect(JSON.parse(await c.next(ackFor('H0STCNT0', '005930'), 'unsub again')).body).toEqual({ rt_cd: '1', msg_cd: 'OPSP0003', msg1: 'UNSUBSCRIBE ERROR(not found!)' });
  });

  it('accepts 41 registrations and refuses the 42nd with OPSP0008', async () => {
    const { restUrl, wsUrl, engine } = await start();
    const key = await approval(restUrl);
    const c = await connect(wsUrl);
    const codes = engine.instruments().filter((i) => i.market === 'KRX').map((i) => i.code);
    const pairs = codes.flatMap((code) => [['H0STCNT0', code], ['H0STASP0', code]]).slice(0, 42);
    for (const [trId, code] of pairs) c.request(key, '1', trId!, code!);
    await waitFor(() => c.frames.filter((f) => f.includes('"rt_cd"')).length === 42, '42 acks');
    const acks = c.frames.filter((f) => f.includes('"rt_cd"')).map((f) => JSON.parse(f));
    expect(acks.filter((a) => a.body.msg_cd === 'OPSP0000')).toHaveLength(41);
    const last = acks.find((a) => a.header.tr_id === pairs[41]![0] && a.header.tr_key === pairs[41]![1]);
    expect(last.body).toEqual({ rt_cd: '1', msg_cd: 'OPSP0008', msg1: 'MAX SUBSCRIBE OVER' });
  });

  it('refuses a second session for the same app key with OPSP8996 and closes it', async () => {
    const { restUrl, wsUrl } = await start();
    const first = await connect(wsUrl);
    first.request(await approval(restUrl), '1', 'H0STCNT0', '005930');
    await first.next(ackFor('H0STCNT0', '005930'), 'first ack');
    const second = await connect(wsUrl);
    second.request(await approval(restUrl), '1', 'H0STCNT0', '000660');
    const refusal = JSON.parse(await second.next((f) => f.includes('OPSP8996'), 'the refusal'));
    expect(refusal.body).toEqual({ rt_cd: '9', msg_cd: 'OPSP8996', msg1: 'ALREADY IN USE appkey' });
    await waitFor(() => second.closed() !== null, 'the second socket closed');
    expect(first.closed()).toBeNull();
  });

  it('batches several records per frame, 46 fields per trade and 62 per 호가, count zero-padded', async () => {
    const { restUrl, wsUrl, sim, engine } = await start();
    const key = await approval(restUrl);
    const c = await connect(wsUrl);
    c.request(key, '1', 'H0STCNT0', '005930');
    c.request(key, '1', 'H0STASP0', '005930');
    await waitFor(() => c.frames.filter((f) => f.includes('OPSP0000')).length === 2, 'acks');
    sim.forceBatchSize(3);
    for (let i = 0; i < 600; i++) {
      engine.step(50);
      if (c.frames.some((f) => f.startsWith('0|H0STCNT0|003|')) && c.frames.some((f) => f.startsWith('0|H0STASP0|003|'))) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const trade = c.frames.find((f) => f.startsWith('0|H0STCNT0|003|'))!;
    const book = c.frames.find((f) => f.startsWith('0|H0STASP0|003|'))!;
    const tradeFields = trade.split('|')[3]!.split('^');
    expect(tradeFields).toHaveLength(3 * 46);
    expect([tradeFields[0], tradeFields[46], tradeFields[92]]).toEqual(['005930', '005930', '005930']);
    const bookFields = book.split('|')[3]!.split('^');
    expect(bookFields).toHaveLength(3 * 62);
    expect([bookFields[62], bookFields[124]]).toEqual(['005930', '005930']);
  });

  it('sends encrypted notices (H0STCNI9 by HTS ID) for paper orders, decryptable with the ack key/iv as ASCII bytes', async () => {
    const { restUrl, wsUrl } = await start();
    const key = await approval(restUrl);
    const c = await connect(wsUrl);
    c.request(key, '1', 'H0STCNI9', SIM_HTS_ID);
    const ack = JSON.parse(await c.next(ackFor('H0STCNI9', SIM_HTS_ID), 'notice ack'));
    expect(ack.header.encrypt).toBe('Y');
    clock += 300_000;
    const token = (await post(`${restUrl}/oauth2/tokenP`, { grant_type: 'client_credentials', appkey: SIM_APP_KEY, appsecret: SIM_APP_SECRET })).json.access_token;
    const [cano, product] = SIM_ACCOUNT.split('-');
    await post(`${restUrl}/uapi/domestic-stock/v1/trading/order-cash`, { CANO: cano, ACNT_PRDT_CD: product, PDNO: '005930', ORD_DVSN: '01', ORD_QTY: '1', ORD_UNPR: '0' },
      { authorization: `Bearer ${token}`, appkey: SIM_APP_KEY, appsecret: SIM_APP_SECRET, tr_id: 'VTTC0012U', custtype: 'P' });
    await waitFor(() => c.frames.filter((f) => f.startsWith('1|H0STCNI9|001|')).length >= 2, 'acceptance and fill notices');
    const decrypt = (frame: string) => {
      const d = createDecipheriv('aes-256-cbc', Buffer.from(ack.body.output.key, 'utf8'), Buffer.from(ack.body.output.iv, 'utf8'));
      return Buffer.concat([d.update(Buffer.from(frame.split('|')[3]!, 'base64')), d.final()]).toString('utf8').split('^');
    };
    const [accepted, filled] = c.frames.filter((f) => f.startsWith('1|H0STCNI9|')).map(decrypt);
    expect(accepted).toHaveLength(26);
    expect([accepted![0], accepted![1], accepted![4], accepted![8], accepted![13]]).toEqual([SIM_HTS_ID, '5001234501', '02', '005930', '1']);
    expect([filled![13], filled![9], filled![2]]).toEqual(['2', '1', accepted![2]]);
    expect(Number(filled![10])).toBeGreaterThan(0);
  });

  it('sends PINGPONG and drops a session that does not echo it; one that echoes stays', async () => {
    const { restUrl, wsUrl, sim } = await start({ pingIntervalMs: 40, pingTimeoutMs: 120 });
    const silent = await connect(wsUrl);
    await waitFor(() => silent.frames.some((f) => f.includes('"PINGPONG"')), 'a PINGPONG');
    expect(JSON.parse(silent.frames[0]!)).toEqual({ header: { tr_id: 'PINGPONG', datetime: expect.stringMatching(/^\d{14}$/) } });
    await waitFor(() => silent.closed() !== null, 'the silent session dropped');
    expect(silent.closed()).toBe(1006);

    const echoing = await connect(wsUrl);
    echoing.ws.on('message', (data) => {
      const text = data.toString();
      if (text.includes('"PINGPONG"')) echoing.ws.send(text);
    });
    await waitFor(() => echoing.frames.filter((f) => f.includes('PINGPONG')).length >= 6, '6 PINGPONGs');
    expect(echoing.closed()).toBeNull();

    sim.setPingEchoCheck(false);
    const tolerated = await connect(wsUrl);
    await waitFor(() => tolerated.frames.filter((f) => f.includes('PINGPONG')).length >= 5, '5 unanswered PINGPONGs');
    expect(tolerated.closed()).toBeNull();
    void restUrl;
  });

  it('drops every session without a close frame and refuses new ones until restored', async () => {
    const { wsUrl, sim } = await start();
    const c = await connect(wsUrl);
    sim.dropConnections(true);
    await waitFor(() => c.closed() !== null, 'the drop');
    expect(c.closed()).toBe(1006);
    await expect(connect(wsUrl)).rejects.toThrow(/503/);
    sim.restore();
    await connect(wsUrl);
    expect(sim.sessionCount).toBe(1);
  });
});

describe('KIS simulator: several customers', () => {
  it('gives each issued app key its own token, account, balance and notices; unknown keys get EGW00103', async () => {
    const second = SIM_ISSUED_CREDENTIALS;
    const { restUrl, wsUrl } = await start({ issued: [second] });
    const tokenP = (appkey: string, appsecret: string) => post(`${restUrl}/oauth2/tokenP`, { grant_type: 'client_credentials', appkey, appsecret });
    expect((await tokenP('PSunknown', 'x')).json).toEqual({ error_code: 'EGW00103', error_description: '유효하지 않은 AppKey입니다.' });
    expect((await tokenP(second.appKey, SIM_APP_SECRET)).json).toMatchObject({ error_code: 'EGW00105' });
    const firstToken = (await tokenP(SIM_APP_KEY, SIM_APP_SECRET)).json.access_token as string;
    // The once-a-minute token limit is per app key: the second customer is not held back by the first.
    const secondToken = (await tokenP(second.appKey, second.appSecret)).json.access_token as string;
    expect(secondToken).toMatch(/^sim\./);
    expect(secondToken).not.toBe(firstToken);

    const approvalKey = (await post(`${restUrl}/oauth2/Approval`, { grant_type: 'client_credentials', appkey: second.appKey, secretkey: second.appSecret })).json.approval_key as string;
    const c = await connect(wsUrl);
    c.request(approvalKey, '1', 'H0STCNI9', second.htsId);
    await c.next(ackFor('H0STCNI9', second.htsId), 'notice ack');

    const headers = (token: string, appkey: string, appsecret: string, trId: string) => ({ authorization: `Bearer ${token}`, appkey, appsecret, tr_id: trId, custtype: 'P' });
    const [cano, product] = second.account.split('-');
    // The first customer's token does not work with the second customer's key, nor the first's account number.
    const crossed = await post(`${restUrl}/uapi/domestic-stock/v1/trading/order-cash`, { CANO: cano, ACNT_PRDT_CD: product, PDNO: '005930', ORD_DVSN: '01', ORD_QTY: '1', ORD_UNPR: '0' }, headers(firstToken, second.appKey, second.appSecret, 'VTTC0012U'));
    expect(crossed.json).toMatchObject({ msg_cd: 'EGW00121' });
    const [firstCano, firstProduct] = SIM_ACCOUNT.split('-');
    const wrongAccount = await post(`${restUrl}/uapi/domestic-stock/v1/trading/order-cash`, { CANO: firstCano, ACNT_PRDT_CD: firstProduct, PDNO: '005930', ORD_DVSN: '01', ORD_QTY: '1', ORD_UNPR: '0' }, headers(secondToken, second.appKey, second.appSecret, 'VTTC0012U'));
    expect(wrongAccount.json).toMatchObject({ msg_cd: 'OPSQ2000' });

    const order = await post(`${restUrl}/uapi/domestic-stock/v1/trading/order-cash`, { CANO: cano, ACNT_PRDT_CD: product, PDNO: '000660', ORD_DVSN: '01', ORD_QTY: '3', ORD_UNPR: '0' }, headers(secondToken, second.appKey, second.appSecret, 'VTTC0012U'));
    expect(order.json).toMatchObject({ rt_cd: '0' });
    await waitFor(() => c.frames.filter((f) => f.startsWith('1|H0STCNI9|001|')).length >= 2, "the second customer's notices");

    const balance = async (token: string, appkey: string, appsecret: string, account: string) => {
      const [a, b] = account.split('-');
      const q = new URLSearchParams({ CANO: a!, ACNT_PRDT_CD: b!, AFHR_FLPR_YN: 'N', OFL_YN: '', INQR_DVSN: '02', UNPR_DVSN: '01', FUND_STTL_ICLD_YN: 'N', FNCG_AMT_AUTO_RDPT_YN: 'N', PRCS_DVSN: '00', CTX_AREA_FK100: '', CTX_AREA_NK100: '' });
      const res = await fetch(`${restUrl}/uapi/domestic-stock/v1/trading/inquire-balance?${q}`, { headers: headers(token, appkey, appsecret, 'VTTC8434R') });
      return ((await res.json()) as Record<string, any>).output1.map((r: any) => [r.pdno, r.hldg_qty]);
    };
    expect(await balance(secondToken, second.appKey, second.appSecret, second.account)).toEqual([['000660', '3']]);
    expect(await balance(firstToken, SIM_APP_KEY, SIM_APP_SECRET, SIM_ACCOUNT)).toEqual([]);
  });
});
