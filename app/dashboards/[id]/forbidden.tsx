import Link from 'next/link';

/** What a user sees (with HTTP 403) on a dashboard that is neither theirs nor shared with a team of theirs. */
export default function DashboardForbidden() {
  return (
    <section className="panel empty" data-testid="dashboard-forbidden">
      <h1>권한이 없습니다</h1>
      <p>이 대시보드는 다른 사용자의 개인 대시보드이거나, 내가 속하지 않은 팀에 공유된 대시보드입니다. 소유자에게 팀 초대 링크를 요청하세요.</p>
      <Link href="/dashboards">내 대시보드 목록으로</Link>
    </section>
  );
}
