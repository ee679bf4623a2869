export { createBridgeApi, type BridgeApi, type BridgeApiOptions } from './bridge-api';
