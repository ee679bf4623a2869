import type { Metadata } from 'next';
import Link from 'next/link';
import { JoinTeam } from '@/components/team/JoinTeam';
import type { InvitePreview } from '@/lib/contracts/dashboards';
import { getServices } from '@/lib/contracts/services';
import { pageUser } from '@/lib/http/page-user';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: '팀 초대 · Sise' };

/** An invite link: shows which team and role it offers, and joins when the signed-in user accepts. */
export default async function JoinTeamPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const user = (await pageUser())!;
  let preview: InvitePreview | null = null;
  let problem = '초대 링크를 확인할 수 없습니다.';
  try {
    const api = getServices().dashboards;
    if (api) preview = await api.teams.previewInvite(user.id, token);
  } catch (error) {
    const message = (error as Error).message;
    problem = /expired/.test(message)
      ? '만료된 초대 링크입니다.'
      : /revoked/.test(message)
        ? '취소된 초대 링크입니다.'
        : /used/.test(message)
          ? '이미 사용된 초대 링크입니다.'
          : '유효하지 않은 초대 링크입니다.';
  }
  if (!preview) {
    return (
      <section className="panel empty" data-testid="invite-invalid">
        <h1>팀 초대</h1>
        <p>{problem} 팀 소유자에게 새 링크를 요청하세요.</p>
        <Link href="/teams">내 팀으로</Link>
      </section>
    );
  }
  return <JoinTeam token={token} preview={preview} />;
}
