'use client';
import { memo, useMemo, useState } from 'react';
import { Bar, ComposedChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Candle, CandleInterval, Market } from '@/lib/contracts';
import { formatCompact, formatPrice } from '@/lib/format/number';
import { formatKstDate, formatKstTime } from '@/lib/format/kst-time';
import { priceAxis, tickSizeFor } from '@/lib/format/price-axis';

/** Korean charts: a candle that closed at or above its open (양봉) is red, below (음봉) blue. */
const RISE = '#f0454a';
const FALL = '#3d7bf0';
/** As many candles as stay readable on a laptop-width chart; the rest scroll off to the left. */
export const VISIBLE_CANDLES = 120;
/** Volume bars use the bottom quarter of the plot, under the candles. */
const VOLUME_SHARE = 0.25;
const MARGIN = { top: 12, right: 8, bottom: 4, left: 8 };
const X_AXIS_HEIGHT = 30;
const CHART_HEIGHT = 420;

interface CandleDatum extends Candle {
  range: [number, number];
  rising: boolean;
  /** The volume again, under the key of its colour: two plain bar series instead of one element per candle. */
  risingVolume: number;
  fallingVolume: number;
}

interface ShapeProps {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  payload?: CandleDatum;
}

/** One candle: the wick spans high–low, the body open–close, both placed inside the bar recharts lays out for [low, high]. */
function CandleShape({ x = 0, y = 0, width = 0, height = 0, payload }: ShapeProps) {
  if (!payload) return null;
  const { open, close, high, low, rising } = payload;
  const colour = rising ? RISE : FALL;
  const top = Math.min(y, y + height);
  const span = Math.abs(height);
  const at = (price: number) => (high === low ? top : top + ((high - price) / (high - low)) * span);
  const bodyTop = at(Math.max(open, close));
  const bodyHeight = Math.max(1, at(Math.min(open, close)) - bodyTop);
  const centre = x + width / 2;
  return (
    <g>
      <line x1={centre} x2={centre} y1={top} y2={top + span} stroke={colour} strokeWidth={1} />
      <rect x={x + width * 0.15} y={bodyTop} width={Math.max(1, width * 0.7)} height={bodyHeight} fill={colour} />
    </g>
  );
}

function roundToTick(price: number, tick: number): number {
  return Number((Math.round(price / tick) * tick).toFixed(Math.max(0, -Math.floor(Math.log10(tick)))));
}

function timeLabel(interval: CandleInterval, start: number): string {
  if (interval === '1d') return formatKstDate(start).slice(5);
  const time = formatKstTime(start);
  return interval === '1s' ? time : time.slice(0, 5);
}

function CandleChartView({ candles, interval, prevClose, market }: { candles: Candle[]; interval: CandleInterval; prevClose: number; market: Market }) {
  const [hover, setHover] = useState<number | null>(null);
  const [pointerY, setPointerY] = useState<number | null>(null);

  const data: CandleDatum[] = useMemo(
    () =>
      candles.slice(-VISIBLE_CANDLES).map((c) => {
        const rising = c.close >= c.open;
        return { ...c, range: [c.low, c.high], rising, risingVolume: rising ? c.volume : 0, fallingVolume: rising ? 0 : c.volume };
      }),
    [candles],
  );
  const axis = useMemo(() => {
    let min = prevClose;
    let max = prevClose;
    for (const c of data) {
      if (c.low < min) min = c.low;
      if (c.high > max) max = c.high;
    }
    // Leave the bottom quarter to the volume bars.
    const padded = min - ((max - min) * VOLUME_SHARE) / (1 - VOLUME_SHARE);
    return priceAxis(market, Math.max(padded, min * 0.5), max);
  }, [data, prevClose, market]);
  const maxVolume = useMemo(() => Math.max(1, ...data.map((c) => c.volume)), [data]);

  const shown = (hover !== null ? data[hover] : undefined) ?? data.at(-1);
  // The horizontal crosshair's price, from the pointer's height within the plot.
  const plotTop = MARGIN.top;
  const plotBottom = CHART_HEIGHT - MARGIN.bottom - X_AXIS_HEIGHT;
  const rawPointerPrice =
    pointerY !== null && pointerY >= plotTop && pointerY <= plotBottom
      ? axis.domain[1] - ((pointerY - plotTop) / (plotBottom - plotTop)) * (axis.domain[1] - axis.domain[0])
      : null;
  // Read out a price an order could have, on the market's grid.
  const pointerPrice = rawPointerPrice === null ? null : roundToTick(rawPointerPrice, tickSizeFor(market, rawPointerPrice));

  return (
    <div
      className="candle-chart"
      data-testid="candle-chart"
      data-interval={interval}
      data-candles={data.length}
      data-last-close={data.at(-1)?.close ?? ''}
      onMouseMove={(e) => setPointerY(e.clientY - e.currentTarget.getBoundingClientRect().top)}
      onMouseLeave={() => {
        setPointerY(null);
        setHover(null);
      }}
    >
      <div className="ohlc" data-testid="ohlc">
        {shown ? (
          <>
            <span className="muted">{timeLabel(interval, shown.start)}</span>
            <span>시 <b>{formatPrice(shown.open)}</b></span>
            <span>고 <b className="rise">{formatPrice(shown.high)}</b></span>
            <span>저 <b className="fall">{formatPrice(shown.low)}</b></span>
            <span>종 <b className={shown.rising ? 'rise' : 'fall'}>{formatPrice(shown.close)}</b></span>
            <span>거래량 <b>{formatCompact(shown.volume)}</b></span>
          </>
        ) : (
          <span className="muted">체결 대기 중…</span>
        )}
      </div>
      {pointerPrice !== null ? (
        <div className="crosshair-h" style={{ top: pointerY ?? 0 }}>
          <span>{formatPrice(pointerPrice)}</span>
        </div>
      ) : null}
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <ComposedChart
          data={data}
          margin={MARGIN}
          barCategoryGap={1}
          onMouseMove={(state) => {
            const index = Number(state?.activeTooltipIndex);
            setHover(Number.isInteger(index) ? index : null);
          }}
        >
          <XAxis
            dataKey="start"
            tickFormatter={(start: number) => timeLabel(interval, start)}
            stroke="#7d8597"
            fontSize={11}
            minTickGap={40}
            height={X_AXIS_HEIGHT}
          />
          <YAxis yAxisId="price" orientation="right" domain={axis.domain} ticks={axis.ticks} interval={0} tickFormatter={(p: number) => formatPrice(p)} stroke="#7d8597" fontSize={11} width={84} allowDataOverflow />
          <YAxis yAxisId="volume" hide domain={[0, maxVolume / VOLUME_SHARE]} />
          <Tooltip content={() => null} cursor={{ stroke: '#9aa3b5', strokeDasharray: '3 3' }} isAnimationActive={false} />
          <ReferenceLine yAxisId="price" y={prevClose} stroke="#9aa3b5" strokeDasharray="4 4" ifOverflow="hidden" label={{ value: '전일종가', position: 'insideTopLeft', fill: '#9aa3b5', fontSize: 10 }} />
          <Bar yAxisId="volume" dataKey="risingVolume" stackId="volume" fill={RISE} fillOpacity={0.35} isAnimationActive={false} />
          <Bar yAxisId="volume" dataKey="fallingVolume" stackId="volume" fill={FALL} fillOpacity={0.35} isAnimationActive={false} />
          <Bar yAxisId="price" dataKey="range" shape={CandleShape} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Re-rendered only when its candles or settings change, not on every book update of the page. */
export const CandleChart = memo(CandleChartView);
