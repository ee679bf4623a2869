import type { Metadata } from 'next';
import { DashboardList } from '@/components/dashboard/DashboardList';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: '대시보드 · Sise' };

export default function DashboardsPage() {
  return <DashboardList />;
}
