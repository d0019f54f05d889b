export const CHROMIUM_PATH: string
export const HEADLESS_ARGS: string[]
export const FAKE_MEDIA_ARGS: string[]
export const AUTOPLAY_ARG: string
export const LOCAL_TEST_PAGES_ARG: string
