import { directionOf } from '@/lib/format/price-colour';
import type { ReactNode } from 'react';

/** Text coloured by direction: red up, blue down (Korean convention). */
export function PriceText({ change, children, className }: { change: number; children: ReactNode; className?: string }) {
  return <span className={`${directionOf(change)} ${className ?? ''}`}>{children}</span>;
}
