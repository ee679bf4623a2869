import type { TeamRole } from '@/lib/contracts/dashboards';

export const TEAM_ROLE_LABELS: Record<TeamRole, string> = { owner: '소유자', editor: '편집자', viewer: '보기 전용' };
