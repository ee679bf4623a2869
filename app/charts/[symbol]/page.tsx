import { notFound } from 'next/navigation';
import { ChartView } from '@/components/chart/ChartView';
import { parseSymbol } from '@/lib/contracts';
import { getServices } from '@/lib/contracts/services';

export const dynamic = 'force-dynamic';

export default async function ChartPage({ params }: { params: Promise<{ symbol: string }> }) {
  const { symbol: raw } = await params;
  const parsed = parseSymbol(decodeURIComponent(raw));
  if (!parsed.ok) notFound();
  const instrument = getServices().instruments.get(parsed.value.symbol);
  if (!instrument) notFound();
  return <ChartView instrument={instrument} />;
}
