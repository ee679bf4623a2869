import { ConditionsView } from '@/components/condition/ConditionsView';

export const dynamic = 'force-dynamic';

export default function ConditionsPage() {
  return <ConditionsView />;
}
