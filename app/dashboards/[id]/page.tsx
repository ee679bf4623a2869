import type { Metadata } from 'next';
import { forbidden, notFound } from 'next/navigation';
import { DashboardView } from '@/components/dashboard/DashboardView';
import { getServices } from '@/lib/contracts/services';
import { pageUser } from '@/lib/http/page-user';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: '대시보드 · Sise' };

/**
 * One dashboard. Access is checked here, on the server, before anything is rendered: a user who may not see it gets
 * HTTP 403 with the "권한이 없습니다" page (forbidden.tsx), a dashboard that does not exist 404.
 */
export default async function DashboardPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await pageUser();
  if (!user) forbidden(); // the gate sends signed-out visitors to /login; this is only reached without the gate
  const api = getServices().dashboards;
  if (!api) notFound();
  let opened;
  try {
    opened = await api.dashboards.open(user.id, id);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'FORBIDDEN') forbidden();
    if (code === 'NOT_FOUND') notFound();
    throw error;
  }
  // Sharing is the owner's; only then are their teams needed.
  const teams = opened.role === 'owner' ? await api.teams.list(user.id) : [];
  return <DashboardView initial={{ dashboard: opened.dashboard, role: opened.role }} shares={opened.shares} teams={teams} />;
}
