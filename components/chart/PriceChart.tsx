'use client';
import { Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useMemo } from 'react';
import type { TradePrint } from '@/lib/client/market-store';
import type { Market } from '@/lib/contracts';
import { formatPrice } from '@/lib/format/number';
import { priceAxis } from '@/lib/format/price-axis';
import { formatKstTime } from '@/lib/format/kst-time';

const RISE = '#e5383b';
const FALL = '#2f6fed';

/** A live line of trade prices with the previous close as reference; redrawn at most once per frame. */
export function PriceChart({ points, prevClose, market, compact = false }: { points: TradePrint[]; prevClose: number; market: Market; compact?: boolean }) {
  const last = points.at(-1)?.price ?? prevClose;
  // The previous close is the day's reference, so it stays in view; labels sit on the market's price grid.
  const axis = useMemo(() => {
    let min = prevClose;
    let max = prevClose;
    for (const p of points) {
      if (p.price < min) min = p.price;
      if (p.price > max) max = p.price;
    }
    return priceAxis(market, min, max);
  }, [points, prevClose, market]);
  const colour = last >= prevClose ? RISE : FALL;
  return (
    <div className={compact ? 'price-chart compact' : 'price-chart'} data-testid="price-chart">
      {points.length === 0 ? <div className="chart-empty">체결 대기 중…</div> : null}
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 12, right: 8, bottom: 4, left: 8 }}>
          <XAxis
            dataKey="ts"
            type="number"
            scale="time"
            domain={['dataMin', 'dataMax']}
            tickFormatter={(ts: number) => formatKstTime(ts)}
            stroke="#7d8597"
            fontSize={11}
            minTickGap={48}
            hide={compact}
          />
          <YAxis
            dataKey="price"
            domain={axis.domain}
            ticks={axis.ticks}
            interval={0}
            orientation="right"
            tickFormatter={(p: number) => formatPrice(p)}
            stroke="#7d8597"
            fontSize={compact ? 10 : 11}
            width={compact ? 64 : 84}
          />
          <Tooltip
            isAnimationActive={false}
            labelFormatter={(ts) => formatKstTime(Number(ts))}
            formatter={(p) => [formatPrice(Number(p)), '체결가']}
            contentStyle={{ background: '#151a23', border: '1px solid #2a3140' }}
          />
          <ReferenceLine y={prevClose} stroke="#9aa3b5" strokeDasharray="4 4" ifOverflow="hidden" />
          <Line type="stepAfter" dataKey="price" stroke={colour} dot={false} strokeWidth={1.6} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
