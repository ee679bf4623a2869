'use client';
import { useEffect, useRef } from 'react';
import type { TradePrint } from '@/lib/client/market-store';

const RISE = '#f0454a';
const FALL = '#3d7bf0';
const REFERENCE = 'rgba(154, 163, 181, 0.6)';

/**
 * The grid's price line, drawn on a canvas. `npm run bench -- browser` measured twelve recharts line charts at
 * 20 Hz each holding the main thread for hundreds of milliseconds per frame (about 6 fps); a canvas redraw of
 * the same points costs well under a millisecond, so the grid keeps its frame rate. The full chart page stays
 * on recharts, which holds 60 fps for one symbol at 20 Hz.
 */
export function Sparkline({ points, prevClose, height }: { points: readonly TradePrint[]; prevClose: number; height: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (!element || !context) return;
    const ratio = window.devicePixelRatio || 1;
    const width = element.clientWidth;
    if (element.width !== Math.round(width * ratio) || element.height !== Math.round(height * ratio)) {
      element.width = Math.round(width * ratio);
      element.height = Math.round(height * ratio);
    }
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    if (points.length === 0) return;

    let min = prevClose;
    let max = prevClose;
    for (const p of points) {
      if (p.price < min) min = p.price;
      if (p.price > max) max = p.price;
    }
    const pad = 4;
    const span = max - min || 1;
    const y = (price: number) => pad + (1 - (price - min) / span) * (height - pad * 2);
    const x = (i: number) => (points.length === 1 ? width : (i / (points.length - 1)) * width);

    context.strokeStyle = REFERENCE;
    context.setLineDash([4, 4]);
    context.beginPath();
    context.moveTo(0, y(prevClose));
    context.lineTo(width, y(prevClose));
    context.stroke();
    context.setLineDash([]);

    // Step line: a price holds until the next print, as on the full chart.
    context.strokeStyle = points.at(-1)!.price >= prevClose ? RISE : FALL;
    context.lineWidth = 1.5;
    context.beginPath();
    context.moveTo(x(0), y(points[0]!.price));
    for (let i = 1; i < points.length; i++) {
      context.lineTo(x(i), y(points[i - 1]!.price));
      context.lineTo(x(i), y(points[i]!.price));
    }
    context.stroke();
  }, [points, prevClose, height]);

  return <canvas ref={canvas} className="sparkline" style={{ width: '100%', height }} data-testid="sparkline" />;
}
