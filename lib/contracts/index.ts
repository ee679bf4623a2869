export * from './brokers';
export * from './errors';
export * from './events';
export * from './feed-status';
export * from './instrument';
export * from './rooms';
export * from './socket-events';
export * from './symbol';
