/**
 * Team dashboards: the widget and layout schemas, the dashboard document, its export format, the edit operations
 * sent over `dash:edit`, team and invite shapes, and the service interface route handlers reach through
 * getServices().dashboards. Shared by the server, the browser and bots.
 *
 * Rights on a dashboard (documented in the README):
 *   - `owner`: the user who created it. Everything, including delete and sharing.
 *   - a team share gives each team member `editor` or `viewer`: the lesser of the share's role and the member's
 *     team role (a team `owner` counts as `editor` here). Several shares: the best one wins.
 *   - admins get no special access to other people's dashboards: a dashboard can show account widgets, and an
 *     administrator of the server is not thereby a member of everyone's team.
 */
import { z } from 'zod';
import { CANDLE_INTERVALS } from './candles';
import type { ApiError } from './errors';

/** react-grid-layout's default and what a laptop screen divides well into halves, thirds and quarters. */
export const GRID_COLUMNS = 12;
/** A widget taller than this many rows (at 40 px) no longer fits a screen; nobody needs more. */
export const MAX_WIDGET_ROWS = 40;
/** Rows below this are past any screen anyone scrolls to; it bounds a hostile layout's size. */
export const MAX_GRID_ROWS = 1_000;
/** A dashboard is read at a glance; past two dozen live widgets a browser spends its frames on them. */
export const MAX_WIDGETS = 24;
/** As many symbols as a watchlist widget shows without scrolling far. */
export const MAX_WATCHLIST_SYMBOLS = 30;
/** Long enough for a descriptive Korean title, short enough for the list and the tab. */
export const MAX_NAME_LENGTH = 80;
/** Widget ids are made by the browser (random); this bounds them without dictating a format. */
const MAX_WIDGET_ID_LENGTH = 64;

export const DASHBOARD_ROLES = ['owner', 'editor', 'viewer'] as const;
export type DashboardRole = (typeof DASHBOARD_ROLES)[number];
export const TEAM_ROLES = ['owner', 'editor', 'viewer'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];
/** A dashboard is shared with a team for editing or for viewing; ownership is never shared. */
export const SHARE_ROLES = ['editor', 'viewer'] as const;
export type ShareRole = (typeof SHARE_ROLES)[number];
/** An invite makes an editor or a viewer; owners promote an existing member. */
export const INVITE_ROLES = ['editor', 'viewer'] as const;
export type InviteRole = (typeof INVITE_ROLES)[number];

const symbolText = z.string().regex(/^[A-Z]+:[A-Za-z0-9._-]+$/, 'a symbol like KRX:005930 or UPBIT:KRW-BTC').max(40);
const widgetId = z.string().min(1).max(MAX_WIDGET_ID_LENGTH).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _');
export const dashboardNameSchema = z.string().trim().min(1, 'a name is needed').max(MAX_NAME_LENGTH);

export const chartWidgetSchema = z.object({ id: widgetId, kind: z.literal('chart'), config: z.object({ symbol: symbolText, interval: z.enum(CANDLE_INTERVALS) }).strict() }).strict();
export const hogaWidgetSchema = z.object({ id: widgetId, kind: z.literal('hoga'), config: z.object({ symbol: symbolText }).strict() }).strict();
export const watchlistWidgetSchema = z
  .object({ id: widgetId, kind: z.literal('watchlist'), config: z.object({ symbols: z.array(symbolText).max(MAX_WATCHLIST_SYMBOLS) }).strict() })
  .strict();
export const tapeWidgetSchema = z.object({ id: widgetId, kind: z.literal('tape'), config: z.object({ symbol: symbolText }).strict() }).strict();
export const conditionWidgetSchema = z
  .object({ id: widgetId, kind: z.literal('condition'), config: z.object({ conditionKey: z.string().min(1).max(80) }).strict() })
  .strict();
/** The account's id only (`kis:50012345-01`): what the widget shows is decided per viewer by the server. */
export const balancesWidgetSchema = z
  .object({ id: widgetId, kind: z.literal('balances'), config: z.object({ accountId: z.string().min(1).max(80) }).strict() })
  .strict();

export const widgetSchema = z.discriminatedUnion('kind', [
  chartWidgetSchema,
  hogaWidgetSchema,
  watchlistWidgetSchema,
  tapeWidgetSchema,
  conditionWidgetSchema,
  balancesWidgetSchema,
]);
export type Widget = z.infer<typeof widgetSchema>;
export type WidgetKind = Widget['kind'];
export const WIDGET_KINDS: readonly WidgetKind[] = ['chart', 'hoga', 'watchlist', 'tape', 'condition', 'balances'];

/** One widget's place on the 12-column grid, in grid units; `i` is the widget's id (react-grid-layout's name). */
export const layoutItemSchema = z
  .object({
    i: widgetId,
    x: z.number().int().min(0).max(GRID_COLUMNS - 1),
    y: z.number().int().min(0).max(MAX_GRID_ROWS),
    w: z.number().int().min(1).max(GRID_COLUMNS),
    h: z.number().int().min(1).max(MAX_WIDGET_ROWS),
  })
  .strict()
  .refine((item) => item.x + item.w <= GRID_COLUMNS, { message: `x + w must stay within ${GRID_COLUMNS} columns` });
export type LayoutItem = z.infer<typeof layoutItemSchema>;

export const widgetListSchema = z.array(widgetSchema).max(MAX_WIDGETS);
export const layoutSchema = z.array(layoutItemSchema).max(MAX_WIDGETS);

/** The widgets and the layout agree: unique ids, and exactly one layout item per widget. Null when they do. */
export function layoutProblem(widgets: readonly Widget[], layout: readonly LayoutItem[]): string | null {
  const ids = new Set<string>();
  for (const widget of widgets) {
    if (ids.has(widget.id)) return `widget id ${widget.id} is used twice`;
    ids.add(widget.id);
  }
  if (layout.length !== widgets.length) return 'the layout must place every widget exactly once';
  const placed = new Set<string>();
  for (const item of layout) {
    if (!ids.has(item.i)) return `the layout places ${item.i}, which is not a widget`;
    if (placed.has(item.i)) return `the layout places ${item.i} twice`;
    placed.add(item.i);
  }
  return null;
}

/** A dashboard as the server stores and sends it. Times are epoch ms. */
export interface DashboardDocument {
  id: string;
  name: string;
  ownerId: string;
  /** Starts at 1 and rises by exactly 1 per accepted edit. */
  version: number;
  widgets: Widget[];
  layout: LayoutItem[];
  createdAt: number;
  updatedAt: number;
}

export interface DashboardShare {
  teamId: string;
  teamName: string;
  role: ShareRole;
}

/** One row of a user's dashboard list: their own, and those shared with their teams, with their right on each. */
export interface DashboardSummary {
  id: string;
  name: string;
  ownerId: string;
  ownerEmail: string;
  role: DashboardRole;
  version: number;
  widgetCount: number;
  updatedAt: number;
  shares: DashboardShare[];
}

/** Export format: the widgets and their layout, nothing else (no owner, no shares, never credentials). */
export const DASHBOARD_EXPORT_FORMAT = 'sise.dashboard';
export const DASHBOARD_EXPORT_VERSION = 1;
export const dashboardExportSchema = z
  .object({
    format: z.literal(DASHBOARD_EXPORT_FORMAT),
    version: z.literal(DASHBOARD_EXPORT_VERSION),
    name: dashboardNameSchema,
    widgets: widgetListSchema,
    layout: layoutSchema,
  })
  .strict()
  .superRefine((doc, ctx) => {
    const problem = layoutProblem(doc.widgets, doc.layout);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['layout'] });
  });
export type DashboardExport = z.infer<typeof dashboardExportSchema>;

const baseVersion = z.number().int().min(1);
/** Edits, each made on `baseVersion`: the server applies one only when that is still the current version. */
export const dashboardEditSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('addWidget'), baseVersion, widget: widgetSchema, layout: layoutItemSchema }).strict(),
  z.object({ type: z.literal('removeWidget'), baseVersion, widgetId }).strict(),
  /** Replaces a widget's config; its id and kind stay. */
  z.object({ type: z.literal('updateWidget'), baseVersion, widget: widgetSchema }).strict(),
  /** Move and resize: the whole layout after the gesture, one item per widget. */
  z.object({ type: z.literal('layout'), baseVersion, layout: layoutSchema }).strict(),
  z.object({ type: z.literal('rename'), baseVersion, name: dashboardNameSchema }).strict(),
]);
export type DashboardEdit = z.infer<typeof dashboardEditSchema>;

export const dashEditRequestSchema = z.object({ dashboardId: z.string().min(1).max(64), edit: dashboardEditSchema }).strict();
export type DashEditRequest = z.infer<typeof dashEditRequestSchema>;
export const dashRoomRequestSchema = z.object({ dashboardId: z.string().min(1).max(64) }).strict();
export type DashRoomRequest = z.infer<typeof dashRoomRequestSchema>;

export type DashJoinAck = { ok: true; dashboard: DashboardDocument; role: DashboardRole } | { ok: false; error: ApiError };
/** On CONFLICT, `dashboard` is the current version, so the editor can show it at once. */
export type DashEditAck = { ok: true; dashboard: DashboardDocument } | { ok: false; error: ApiError; dashboard?: DashboardDocument };

/** Sent to the `dash:<id>` room after every accepted edit. */
export interface DashUpdate {
  dashboard: DashboardDocument;
  edit: DashboardEdit['type'];
  editedBy: { id: string; email: string };
}

/** Sent to one socket when its right on a dashboard it watches changed; `role: null` means it was removed. */
export interface DashAccessChange {
  dashboardId: string;
  role: DashboardRole | null;
  reason: 'role-changed' | 'access-removed' | 'deleted';
}

export interface TeamSummary {
  id: string;
  name: string;
  role: TeamRole;
  memberCount: number;
  createdAt: number;
}

export interface TeamMember {
  userId: string;
  email: string;
  role: TeamRole;
  joinedAt: number;
}

export interface TeamInvite {
  id: string;
  teamId: string;
  role: InviteRole;
  createdAt: number;
  expiresAt: number;
}

/** Shown once, when created: the token is not stored, only its hash. */
export interface CreatedInvite extends TeamInvite {
  token: string;
  /** Path on this server: `/teams/join/<token>`. */
  path: string;
}

/** What an invite link shows before it is accepted. */
export interface InvitePreview {
  teamId: string;
  teamName: string;
  role: InviteRole;
  expiresAt: number;
  alreadyMember: boolean;
}

export const teamNameSchema = z.string().trim().min(1, 'a name is needed').max(MAX_NAME_LENGTH);

/**
 * The dashboards and teams API as route handlers and pages see it (through getServices().dashboards). Every
 * method acts as `userId` and validates its own input (bodies are passed as received); refusals reject with an error carrying an ErrorCode (FORBIDDEN, NOT_FOUND, CONFLICT…).
 */
export interface DashboardServices {
  dashboards: {
    list(userId: string): Promise<DashboardSummary[]>;
    /** The document and the user's right on it; NOT_FOUND when it does not exist, FORBIDDEN when not theirs to see. */
    open(userId: string, dashboardId: string): Promise<{ dashboard: DashboardDocument; role: DashboardRole; shares: DashboardShare[] }>;
    create(userId: string, input: { name: unknown; widgets?: unknown; layout?: unknown }): Promise<DashboardDocument>;
    duplicate(userId: string, dashboardId: string, name?: unknown): Promise<DashboardDocument>;
    remove(userId: string, dashboardId: string): Promise<void>;
    edit(userId: string, dashboardId: string, edit: unknown): Promise<DashboardDocument>;
    share(userId: string, dashboardId: string, teamId: string, role: unknown): Promise<DashboardShare[]>;
    unshare(userId: string, dashboardId: string, teamId: string): Promise<DashboardShare[]>;
    exportDocument(userId: string, dashboardId: string): Promise<DashboardExport>;
    importDocument(userId: string, document: unknown): Promise<DashboardDocument>;
  };
  teams: {
    list(userId: string): Promise<TeamSummary[]>;
    create(userId: string, name: unknown): Promise<TeamSummary>;
    members(userId: string, teamId: string): Promise<TeamMember[]>;
    setRole(userId: string, teamId: string, memberId: string, role: unknown): Promise<TeamMember[]>;
    removeMember(userId: string, teamId: string, memberId: string): Promise<TeamMember[]>;
    invites(userId: string, teamId: string): Promise<TeamInvite[]>;
    createInvite(userId: string, teamId: string, role: unknown): Promise<CreatedInvite>;
    revokeInvite(userId: string, teamId: string, inviteId: string): Promise<void>;
    previewInvite(userId: string, token: string): Promise<InvitePreview>;
    acceptInvite(userId: string, token: string): Promise<TeamSummary>;
  };
}
