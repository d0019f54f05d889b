/** The headless entry used by benchmarks and embedders: core and hub without the CLI. */
export { createCore, ManualClock, type Core } from '../core'
export { startHub, type Hub } from './hub'
export { DEMO_PASSWORD } from '../core/demo/seed'
