/**
 * One edit applied to a dashboard's content, as a pure function: the service calls it inside the transaction
 * that holds the row, and refuses the edit (BAD_REQUEST) when the result would not be a valid dashboard.
 *
 *   applyEdit({ name, widgets, layout }, { type: 'rename', baseVersion: 3, name: '장중' })
 *   // → { ok: true, content: { name: '장중', widgets, layout } }
 */
import { layoutProblem, MAX_WIDGETS, type DashboardEdit, type LayoutItem, type Widget } from '../../lib/contracts/dashboards';

export interface DashboardContent {
  name: string;
  widgets: Widget[];
  layout: LayoutItem[];
}

export type EditResult = { ok: true; content: DashboardContent } | { ok: false; message: string };

export function applyEdit(content: DashboardContent, edit: DashboardEdit): EditResult {
  const next = nextContent(content, edit);
  if (!next.ok) return next;
  const problem = layoutProblem(next.content.widgets, next.content.layout);
  return problem ? { ok: false, message: problem } : next;
}

function nextContent(content: DashboardContent, edit: DashboardEdit): EditResult {
  const { name, widgets, layout } = content;
  switch (edit.type) {
    case 'rename':
      return { ok: true, content: { name: edit.name, widgets, layout } };
    case 'addWidget': {
      if (widgets.length >= MAX_WIDGETS) return { ok: false, message: `a dashboard holds at most ${MAX_WIDGETS} widgets` };
      if (widgets.some((w) => w.id === edit.widget.id)) return { ok: false, message: `widget id ${edit.widget.id} is already used` };
      if (edit.layout.i !== edit.widget.id) return { ok: false, message: 'the layout item must name the new widget' };
      return { ok: true, content: { name, widgets: [...widgets, edit.widget], layout: [...layout, edit.layout] } };
    }
    case 'removeWidget': {
      if (!widgets.some((w) => w.id === edit.widgetId)) return { ok: false, message: `there is no widget ${edit.widgetId}` };
      return {
        ok: true,
        content: { name, widgets: widgets.filter((w) => w.id !== edit.widgetId), layout: layout.filter((item) => item.i !== edit.widgetId) },
      };
    }
    case 'updateWidget': {
      const current = widgets.find((w) => w.id === edit.widget.id);
      if (!current) return { ok: false, message: `there is no widget ${edit.widget.id}` };
      if (current.kind !== edit.widget.kind) return { ok: false, message: `widget ${current.id} is a ${current.kind} widget; its kind cannot change` };
      return { ok: true, content: { name, widgets: widgets.map((w) => (w.id === edit.widget.id ? edit.widget : w)), layout } };
    }
    case 'layout':
      // Kept in the widgets' order, so the stored layout does not depend on the order the grid reported it in.
      return {
        ok: true,
        content: {
          name,
          widgets,
          layout: edit.layout.length === widgets.length ? sortLike(widgets, edit.layout) : edit.layout,
        },
      };
  }
}

function sortLike(widgets: readonly Widget[], layout: readonly LayoutItem[]): LayoutItem[] {
  const order = new Map(widgets.map((w, index) => [w.id, index]));
  return [...layout].sort((a, b) => (order.get(a.i) ?? Number.MAX_SAFE_INTEGER) - (order.get(b.i) ?? Number.MAX_SAFE_INTEGER));
}
