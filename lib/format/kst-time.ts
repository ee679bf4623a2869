/**
 * Korea Standard Time is UTC+9 all year (no daylight saving), so it is computed from epoch ms directly
 * instead of trusting the machine's or browser's time zone.
 */
export const KST_OFFSET_MS = 9 * 60 * 60 * 1000;

function kstParts(epochMs: number) {
  const d = new Date(epochMs + KST_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    ms: d.getUTCMilliseconds(),
  };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** 09:05:31 in KST. */
export function formatKstTime(epochMs: number): string {
  const p = kstParts(epochMs);
  return `${pad2(p.hour)}:${pad2(p.minute)}:${pad2(p.second)}`;
}

/** 09:05:31.042 in KST: for event logs where order within a second matters. */
export function formatKstTimeMs(epochMs: number): string {
  const p = kstParts(epochMs);
  return `${formatKstTime(epochMs)}.${String(p.ms).padStart(3, '0')}`;
}

/** 2026-11-21 in KST. */
export function formatKstDate(epochMs: number): string {
  const p = kstParts(epochMs);
  return `${p.year}-${pad2(p.month)}-${pad2(p.day)}`;
}

/** Epoch ms of the KST midnight that starts the KST day containing epochMs. */
export function kstDayStart(epochMs: number): number {
  const shifted = epochMs + KST_OFFSET_MS;
  return shifted - (((shifted % 86_400_000) + 86_400_000) % 86_400_000) - KST_OFFSET_MS;
}
