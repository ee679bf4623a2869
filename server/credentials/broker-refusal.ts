/**
 * Turns what a broker said while credentials were being tried into an error the user can act on: wrong keys
 * are BAD_REQUEST with the broker's own code and words (e.g. KIS `EGW00103: 유효하지 않은 AppKey입니다.`); a
 * broker that cannot be reached is UPSTREAM_UNAVAILABLE. Messages carry codes and words only, never a key.
 */
import { FeedError } from '../relay/feed';
import { KiwoomApiError } from '../brokers/kiwoom/rest-codec';
import { UpbitRestError } from '../brokers/upbit/rest-client';
import type { LinkableBroker } from '../../lib/contracts/linked-accounts';

const BROKER_NAMES: Record<LinkableBroker, string> = { kiwoom: '키움증권', kis: '한국투자증권', upbit: '업비트' };
/** The name with its subject particle (이/가 follows the last syllable's final consonant). */
const BROKER_SUBJECTS: Record<LinkableBroker, string> = { kiwoom: '키움증권이', kis: '한국투자증권이', upbit: '업비트가' };

export function brokerName(broker: LinkableBroker): string {
  return BROKER_NAMES[broker];
}

export function brokerRefusal(broker: LinkableBroker, error: unknown): FeedError {
  const name = BROKER_NAMES[broker];
  const subject = BROKER_SUBJECTS[broker];
  if (error instanceof KiwoomApiError) {
    return new FeedError('BAD_REQUEST', `${subject} 거절했습니다: ${error.returnMsg.trim() || '사유 없음'} (return_code ${error.returnCode})`);
  }
  if (error instanceof UpbitRestError) {
    if (error.status === 401 || error.status === 403) return new FeedError('BAD_REQUEST', `${subject} 거절했습니다: ${error.message} (${error.errorName})`);
    return new FeedError('UPSTREAM_UNAVAILABLE', `${subject} 응답하지 않았습니다: ${error.message} (HTTP ${error.status})`);
  }
  if (error instanceof FeedError) {
    // KIS words its refusals for operators ("check KIS_APP_KEY …"); the user needs the code and the broker's words.
    const kisCode = /\((EGW\d+|OPSQ\d+|HTTP \d+)(?::\s*([^)]*))?\)/.exec(error.message);
    if (error.code === 'UNAUTHENTICATED' || /OPSQ2000|INVALID_CHECK_ACNO/.test(error.message)) {
      const words = kisCode ? `${kisCode[2]?.trim() || '인증 실패'} (${kisCode[1]})` : error.message;
      const hint = /OPSQ2000|INVALID_CHECK_ACNO/.test(error.message) ? '계좌번호가 이 App Key의 계좌가 아닙니다 (OPSQ2000)' : words;
      return new FeedError('BAD_REQUEST', `${subject} 거절했습니다: ${hint}`);
    }
    return new FeedError(error.code === 'BAD_REQUEST' ? 'BAD_REQUEST' : 'UPSTREAM_UNAVAILABLE', `${name}: ${error.message}`);
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new FeedError('UPSTREAM_UNAVAILABLE', `${name}에 연결할 수 없습니다: ${reason}`);
}
