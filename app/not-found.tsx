import Link from 'next/link';

export default function NotFound() {
  return (
    <section className="panel empty">
      <h1>찾을 수 없습니다</h1>
      <p>That page or symbol does not exist. Symbols look like KRX:005930 or UPBIT:KRW-BTC.</p>
      <Link href="/">관심종목으로 돌아가기</Link>
    </section>
  );
}
