export { createBridgeApi, type BridgeApi, type BridgeApiOptions, type BridgeIdentity } from './bridge-api';
