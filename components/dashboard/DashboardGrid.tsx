'use client';
import ReactGridLayout, { useContainerWidth, verticalCompactor, type Layout } from 'react-grid-layout';
import 'react-grid-layout/css/styles.css';
import 'react-resizable/css/styles.css';
import { GRID_COLUMNS, type LayoutItem, type Widget } from '@/lib/contracts/dashboards';
import { WidgetFrame } from './WidgetFrame';

/** 40 px rows: fine enough to size a widget to its content, coarse enough to drag comfortably. */
export const ROW_HEIGHT_PX = 40;
/** The gap between widgets, the same as between the app's panels. */
const MARGIN_PX: [number, number] = [12, 12];

/** Only x, y, w and h are ours: the grid adds its own flags (moved, static…) that the store has no use for. */
function toLayout(layout: Layout): LayoutItem[] {
  return layout.map(({ i, x, y, w, h }) => ({ i, x, y, w, h }));
}

function sameLayout(a: readonly LayoutItem[], b: readonly LayoutItem[]): boolean {
  if (a.length !== b.length) return false;
  const byId = new Map(b.map((item) => [item.i, item]));
  return a.every((item) => {
    const other = byId.get(item.i);
    return other !== undefined && other.x === item.x && other.y === item.y && other.w === item.w && other.h === item.h;
  });
}

/**
 * The dashboard's 12-column grid: widgets are dragged by their header and resized from the corner; when a
 * gesture ends the new layout is handed up (only when something actually moved). Viewers get a static grid.
 */
export function DashboardGrid({
  widgets,
  layout,
  editable,
  onLayout,
  onConfigure,
  onRemove,
}: {
  widgets: readonly Widget[];
  layout: readonly LayoutItem[];
  editable: boolean;
  onLayout: (layout: LayoutItem[]) => void;
  onConfigure: (widget: Widget) => void;
  onRemove: (widget: Widget) => void;
}) {
  const { width, containerRef, mounted } = useContainerWidth();
  // Where the server has each widget ("x,y,w,h"), for people's tools and tests to read without measuring pixels.
  const placement = new Map(layout.map((item) => [item.i, `${item.x},${item.y},${item.w},${item.h}`]));
  const gestureEnded = (next: Layout) => {
    const items = toLayout(next);
    if (!sameLayout(items, layout)) onLayout(items);
  };
  if (widgets.length === 0) {
    return (
      <div ref={containerRef} className="panel empty">
        <p>위젯이 없습니다.{editable ? ' “위젯 추가”로 차트, 호가, 체결, 관심종목, 조건검색, 잔고를 놓으세요.' : ''}</p>
      </div>
    );
  }
  return (
    <div ref={containerRef} className="dashboard-grid" data-testid="dashboard-grid" data-editable={editable}>
      {mounted ? (
        <ReactGridLayout
          width={width}
          layout={layout.map((item) => ({ ...item }))}
          gridConfig={{ cols: GRID_COLUMNS, rowHeight: ROW_HEIGHT_PX, margin: MARGIN_PX }}
          dragConfig={{ enabled: editable, handle: '.widget-handle', cancel: '.widget-actions' }}
          resizeConfig={{ enabled: editable }}
          compactor={verticalCompactor}
          onDragStop={gestureEnded}
          onResizeStop={gestureEnded}
        >
          {widgets.map((widget) => (
            <div key={widget.id} data-testid="widget" data-widget-id={widget.id} data-kind={widget.kind} data-layout={placement.get(widget.id)}>
              <WidgetFrame widget={widget} editable={editable} onConfigure={() => onConfigure(widget)} onRemove={() => onRemove(widget)} />
            </div>
          ))}
        </ReactGridLayout>
      ) : null}
    </div>
  );
}
