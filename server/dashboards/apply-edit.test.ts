/**
 * The pure edit step: every edit type, and the refusals that keep widgets and layout in agreement.
 */
import { describe, expect, it } from 'vitest';
import { dashboardEditSchema, dashboardExportSchema, type LayoutItem, type Widget } from '../../lib/contracts/dashboards';
import { applyEdit, type DashboardContent } from './apply-edit';

const chart: Widget = { id: 'a', kind: 'chart', config: { symbol: 'KRX:005930', interval: '1m' } };
const tape: Widget = { id: 'b', kind: 'tape', config: { symbol: 'UPBIT:KRW-BTC' } };
const at = (i: string, x: number): LayoutItem => ({ i, x, y: 0, w: 4, h: 6 });
const content: DashboardContent = { name: '장중', widgets: [chart, tape], layout: [at('a', 0), at('b', 4)] };

describe('applyEdit', () => {
  it('adds, configures, moves, removes and renames', () => {
    const hoga: Widget = { id: 'c', kind: 'hoga', config: { symbol: 'KRX:000660' } };
    const added = applyEdit(content, { type: 'addWidget', baseVersion: 1, widget: hoga, layout: at('c', 8) });
    expect(added).toEqual({ ok: true, content: { ...content, widgets: [chart, tape, hoga], layout: [...content.layout, at('c', 8)] } });

    const configured = applyEdit(content, { type: 'updateWidget', baseVersion: 1, widget: { ...chart, config: { symbol: 'KRX:035720', interval: '5m' } } });
    expect(configured.ok && configured.content.widgets[0]).toEqual({ ...chart, config: { symbol: 'KRX:035720', interval: '5m' } });

    // Reported in any order, stored in the widgets' order.
    const moved = applyEdit(content, { type: 'layout', baseVersion: 1, layout: [at('b', 0), at('a', 6)] });
    expect(moved.ok && moved.content.layout).toEqual([at('a', 6), at('b', 0)]);

    expect(applyEdit(content, { type: 'removeWidget', baseVersion: 1, widgetId: 'a' })).toEqual({ ok: true, content: { name: '장중', widgets: [tape], layout: [at('b', 4)] } });
    expect(applyEdit(content, { type: 'rename', baseVersion: 1, name: '마감' })).toMatchObject({ ok: true, content: { name: '마감' } });
  });

  it('refuses edits that would break the dashboard', () => {
    expect(applyEdit(content, { type: 'addWidget', baseVersion: 1, widget: chart, layout: at('a', 8) })).toMatchObject({ ok: false, message: /already used/ });
    expect(applyEdit(content, { type: 'addWidget', baseVersion: 1, widget: { ...chart, id: 'z' }, layout: at('y', 8) })).toMatchObject({ ok: false });
    expect(applyEdit(content, { type: 'removeWidget', baseVersion: 1, widgetId: 'nope' })).toMatchObject({ ok: false });
    expect(applyEdit(content, { type: 'updateWidget', baseVersion: 1, widget: { id: 'a', kind: 'hoga', config: { symbol: 'KRX:005930' } } })).toMatchObject({ ok: false, message: /kind/ });
    expect(applyEdit(content, { type: 'layout', baseVersion: 1, layout: [at('a', 0)] })).toMatchObject({ ok: false, message: /every widget/ });
    expect(applyEdit(content, { type: 'layout', baseVersion: 1, layout: [at('a', 0), at('a', 4)] })).toMatchObject({ ok: false });
  });
});

describe('the wire schemas', () => {
  it('refuse a layout past the 12 columns, unknown keys and unknown widget kinds', () => {
    expect(dashboardEditSchema.safeParse({ type: 'layout', baseVersion: 1, layout: [{ i: 'a', x: 10, y: 0, w: 4, h: 6 }] }).success).toBe(false);
    expect(dashboardEditSchema.safeParse({ type: 'rename', baseVersion: 0, name: 'x' }).success).toBe(false);
    expect(dashboardEditSchema.safeParse({ type: 'rename', baseVersion: 1, name: '   ' }).success).toBe(false);
    const exported = { format: 'sise.dashboard', version: 1, name: '장중', widgets: [chart], layout: [at('a', 0)] };
    expect(dashboardExportSchema.safeParse(exported).success).toBe(true);
    expect(dashboardExportSchema.safeParse({ ...exported, token: 'sise_abc' }).success).toBe(false);
    expect(dashboardExportSchema.safeParse({ ...exported, widgets: [{ ...chart, config: { ...chart.config, secret: 'x' } }] }).success).toBe(false);
    expect(dashboardExportSchema.safeParse({ ...exported, layout: [] }).success).toBe(false);
  });
});
