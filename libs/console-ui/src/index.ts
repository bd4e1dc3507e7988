// The operations console: the browser kit both pages share (plain ES modules and one stylesheet in assets/, served
// by each service from memory), the page shell and its policy, and the live stream of snapshots.
export * from './lib/console-assets';
export * from './lib/console-page';
export * from './lib/console-event-stream';
export * from './lib/console-ui.module';
export * from './lib/console-viewer';
