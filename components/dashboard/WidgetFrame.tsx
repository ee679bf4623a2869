'use client';
import type { Widget } from '@/lib/contracts/dashboards';
import { widgetTitle } from './widget-kinds';
import { WidgetBody } from './widgets/WidgetBody';

/** A widget's panel: the header is the drag handle and holds the config and remove buttons; the body is live. */
export function WidgetFrame({ widget, editable, onConfigure, onRemove }: { widget: Widget; editable: boolean; onConfigure: () => void; onRemove: () => void }) {
  const title = widgetTitle(widget);
  return (
    <article className="panel widget">
      <header className={`widget-head ${editable ? 'widget-handle' : ''}`} title={editable ? '끌어서 옮기기' : undefined}>
        <span className="widget-title">{title}</span>
        <span className="widget-actions">
          <button type="button" className="icon" onClick={onConfigure} disabled={!editable} aria-label={`${title} 설정`}>
            ⚙
          </button>
          <button type="button" className="icon" onClick={onRemove} disabled={!editable} aria-label={`${title} 삭제`}>
            ×
          </button>
        </span>
      </header>
      <div className="widget-body">
        <WidgetBody widget={widget} />
      </div>
    </article>
  );
}
