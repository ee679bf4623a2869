import type { Metadata } from 'next';
import { TeamsView } from '@/components/team/TeamsView';
import { pageUser } from '@/lib/http/page-user';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: '팀 · Sise' };

export default async function TeamsPage() {
  // The gate only lets signed-in requests reach this page.
  const user = (await pageUser())!;
  return <TeamsView userId={user.id} />;
}
