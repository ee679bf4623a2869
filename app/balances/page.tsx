import { BalancesView } from '@/components/balance/BalancesView';

export const dynamic = 'force-dynamic';

export default function BalancesPage() {
  return <BalancesView />;
}
