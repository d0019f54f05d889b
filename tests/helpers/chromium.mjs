// Debian's Chromium as the tests and the benchmarks launch it (Playwright's own browser download
// cannot work on these machines), and the flags they share.

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Headless on a server: no sandbox, GPU, QUIC, first-run or background traffic. */
export const HEADLESS_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]

/** A microphone that is allowed without asking, and fake (a beep, or a file given with --use-file-for-fake-audio-capture). */
export const FAKE_MEDIA_ARGS = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']

/** Sound plays without a click first. */
export const AUTOPLAY_ARG = '--autoplay-policy=no-user-gesture-required'

/** The test customer's page is served through page.route, which local network access checks treat as a public origin reaching 127.0.0.1. */
export const LOCAL_TEST_PAGES_ARG = '--disable-features=LocalNetworkAccessChecks'
