'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import type { LinkableBroker, LinkedAccountStatus, LinkedAccountView } from '@/lib/contracts/linked-accounts';
import { formatKstDate, formatKstTime } from '@/lib/format/kst-time';
import { apiFetch } from '@/lib/client/api-fetch';

const LINKS_KEY = ['linked-accounts'] as const;
/** While a session is still connecting, the list asks again this often, so the status turns without a reload. */
const CONNECTING_REFRESH_MS = 2_000;

interface FieldSpec {
  name: string;
  label: string;
  placeholder: string;
  /** Secrets (and keys) are typed into password inputs: never shown on screen, never offered for autofill. */
  secret: boolean;
}

const BROKERS: Record<LinkableBroker, { name: string; fields: FieldSpec[]; note: string }> = {
  kiwoom: {
    name: '키움증권',
    note: '키움 REST API의 App Key와 Secret Key (openapi.kiwoom.com에서 발급).',
    fields: [
      { name: 'appKey', label: 'App Key', placeholder: 'App Key', secret: true },
      { name: 'secretKey', label: 'Secret Key', placeholder: 'Secret Key', secret: true },
    ],
  },
  kis: {
    name: '한국투자증권',
    note: 'KIS Developers의 App Key·App Secret, 계좌번호(8자리-2자리), 체결통보용 HTS ID.',
    fields: [
      { name: 'appKey', label: 'App Key', placeholder: 'App Key', secret: true },
      { name: 'appSecret', label: 'App Secret', placeholder: 'App Secret', secret: true },
      { name: 'account', label: '계좌번호', placeholder: '50012345-01', secret: false },
      { name: 'htsId', label: 'HTS ID', placeholder: 'HTS ID', secret: false },
    ],
  },
  upbit: {
    name: '업비트',
    note: '업비트 Open API의 Access Key와 Secret Key (자산조회·주문조회 권한).',
    fields: [
      { name: 'accessKey', label: 'Access Key', placeholder: 'Access Key', secret: true },
      { name: 'secretKey', label: 'Secret Key', placeholder: 'Secret Key', secret: true },
    ],
  },
};

const STATUS_TEXT: Record<LinkedAccountStatus, string> = { connected: '연결됨', connecting: '연결 중', unavailable: '연결 안 됨' };

const emptyFields = (): Record<string, string> => ({});

/**
 * The user's own broker credentials: a form per broker (the keys go to the server once and never come back),
 * and the list of links with their accounts, connection status and an unlink button.
 */
export function LinkedAccountsSection() {
  const client = useQueryClient();
  const links = useQuery({
    queryKey: LINKS_KEY,
    queryFn: () => apiFetch<{ links: LinkedAccountView[] }>('/api/linked-accounts'),
    staleTime: 0,
    refetchInterval: (query) => (query.state.data?.links.some((l) => l.status === 'connecting') ? CONNECTING_REFRESH_MS : false),
  });
  const [broker, setBroker] = useState<LinkableBroker>('kiwoom');
  const [fields, setFields] = useState<Record<string, string>>(emptyFields);
  const [label, setLabel] = useState('');
  const [linked, setLinked] = useState<LinkedAccountView | null>(null);

  const link = useMutation({
    mutationFn: (body: Record<string, string>) => apiFetch<{ link: LinkedAccountView }>('/api/linked-accounts', { method: 'POST', body: body }),
    onSuccess: ({ link: created }) => {
      setLinked(created);
      // The secrets leave the page's memory as soon as the server has them.
      setFields(emptyFields());
      setLabel('');
      void client.invalidateQueries({ queryKey: LINKS_KEY });
      void client.invalidateQueries({ queryKey: ['accounts'] });
    },
  });
  const unlink = useMutation({
    mutationFn: (id: string) => apiFetch<null>(`/api/linked-accounts/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => {
      setLinked(null);
      void client.invalidateQueries({ queryKey: LINKS_KEY });
      void client.invalidateQueries({ queryKey: ['accounts'] });
    },
  });

  function chooseBroker(next: LinkableBroker) {
    setBroker(next);
    setFields(emptyFields());
    link.reset();
    setLinked(null);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setLinked(null);
    link.mutate({ broker, ...(label.trim() ? { label: label.trim() } : {}), ...fields });
  }

  const spec = BROKERS[broker];
  const list = links.data?.links ?? [];
  return (
    <section className="panel linked-accounts" aria-labelledby="linked-title">
      <h2 id="linked-title">내 증권 계좌 연결</h2>
      <p className="muted">
        내 증권사 키를 연결하면 그 계좌의 잔고와 주문이 <Link href="/balances">잔고</Link> 화면에 나옵니다. 키는 서버에서 암호화해
        보관하고, 이 화면을 포함해 어디에도 다시 보여 주지 않습니다.
      </p>

      <div className="broker-tabs" role="tablist" aria-label="증권사">
        {(Object.keys(BROKERS) as LinkableBroker[]).map((id) => (
          <button key={id} type="button" role="tab" aria-selected={broker === id} className={broker === id ? 'active' : ''} onClick={() => chooseBroker(id)}>
            {BROKERS[id].name}
          </button>
        ))}
      </div>

      <form className="link-form" onSubmit={submit} autoComplete="off" aria-label={`${spec.name} 연결`}>
        <p className="muted link-note">{spec.note}</p>
        {spec.fields.map((field) => (
          <label key={`${broker}-${field.name}`}>
            <span>{field.label}</span>
            <input
              name={field.name}
              type={field.secret ? 'password' : 'text'}
              autoComplete={field.secret ? 'new-password' : 'off'}
              spellCheck={false}
              placeholder={field.placeholder}
              value={fields[field.name] ?? ''}
              onChange={(e) => setFields((current) => ({ ...current, [field.name]: e.target.value }))}
              required
            />
          </label>
        ))}
        <label>
          <span>이름 (선택)</span>
          <input name="label" type="text" placeholder={`예: ${spec.name} 주계좌`} maxLength={60} value={label} onChange={(e) => setLabel(e.target.value)} />
        </label>
        <div className="link-actions">
          <button type="submit" disabled={link.isPending}>
            {link.isPending ? `${spec.name}에 확인하는 중…` : '연결'}
          </button>
        </div>
      </form>
      {link.error && (
        <p className="auth-error" role="alert">
          {link.error.message}
        </p>
      )}
      {linked && (
        <p className="link-ok" role="status">
          연결했습니다: {linked.accountIds.join(', ')} — <Link href="/balances">잔고 보기</Link>
        </p>
      )}

      {links.error && <p className="auth-error">{links.error.message}</p>}
      <table className="data-table linked-table">
        <thead>
          <tr>
            <th>증권사</th>
            <th>이름</th>
            <th>계좌</th>
            <th>키</th>
            <th>상태</th>
            <th>연결 시각 (KST)</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.map((item) => (
            <tr key={item.id} data-testid="linked-account">
              <td>{BROKERS[item.broker].name}</td>
              <td>{item.label}</td>
              <td className="mono">{item.accountIds.join(', ')}</td>
              <td className="mono">{item.keyHint}…</td>
              <td>
                <span className={`link-status ${item.status}`}>{STATUS_TEXT[item.status]}</span>
                {item.detail && <div className="muted link-detail">{item.detail}</div>}
              </td>
              <td>
                {formatKstDate(Date.parse(item.createdAt))} {formatKstTime(Date.parse(item.createdAt))}
              </td>
              <td>
                <button type="button" className="danger" disabled={unlink.isPending} onClick={() => unlink.mutate(item.id)}>
                  연결 해제
                </button>
              </td>
            </tr>
          ))}
          {links.isSuccess && list.length === 0 && (
            <tr>
              <td colSpan={7} className="muted">
                연결한 계좌가 없습니다.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {unlink.error && <p className="auth-error">{unlink.error.message}</p>}
    </section>
  );
}
