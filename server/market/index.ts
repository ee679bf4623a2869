/** The simulated market engine: what broker simulators and the `sim` feed import. */
export * from './engine-types';
export { MarketEngine, DEFAULT_STEP_MS, type MarketEngineConfig, type MarketEngineTuning } from './market-engine';
export { PaperOrderError, type PaperOrderErrorCode } from './paper-orders';
export { krxInstruments, krxListings } from './krx-universe';
export { upbitInstruments, upbitListings } from './upbit-universe';
export type { Listing } from './listing';
export { isKrxOpen, nextKrxOpen, nextKrxClose, krxTradingDate, upbitTradingDate, KST_OFFSET_MS } from './market-hours';
export { Prng, hashString } from './prng';
