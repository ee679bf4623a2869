import { Watchlist } from '@/components/watchlist/Watchlist';

export default function HomePage() {
  return <Watchlist />;
}
