// electron-builder's afterPack hook: puts the better-sqlite3 built for Electron's ABI into the packed
// app and checks it. electron-builder's own rebuild is off (`npmRebuild: false`): it rebuilt in place,
// which broke `npm test` afterwards, and with npm_config_nodedir set (as CI sets it) produced Node's
// ABI under Electron's label — an app that crashes on start. The Electron build is made in a staging
// copy (electron/tools/electron-native.mjs, needs Electron's headers once), never in node_modules.
const { execFileSync } = require('node:child_process')
const { copyFileSync, readFileSync } = require('node:fs')
const { join } = require('node:path')

/** The NODE_MODULE_VERSION a native module was built for (its node_register_module_vNNN symbol). */
function moduleAbi(file) {
  const m = /node_register_module_v(\d+)/.exec(readFileSync(file).toString('latin1'))
  return m ? Number(m[1]) : null
}

/** Throws unless the module was built for `want`. */
function checkAbi(file, want, what) {
  const got = moduleAbi(file)
  if (got !== want)
    throw new Error(
      `${file} has NODE_MODULE_VERSION ${got}, ${what} needs ${want}: the packed app would not start. ` +
        'Build it for Electron with `node electron/tools/electron-native.mjs` (needs the internet once) and pack again.'
    )
  return got
}

async function afterPack(context) {
  const root = context.packager.projectDir
  const resources = context.packager.getResourcesDir(context.appOutDir)
  const packed = join(resources, 'app.asar.unpacked/node_modules/better-sqlite3/build/Release/better_sqlite3.node')
  // The packing test has no Electron headers: it packs the Node build and checks that against Node.
  if (process.env.LEADLINE_PACK_NATIVE === 'node') {
    checkAbi(packed, Number(process.versions.modules), `Node ${process.versions.node}`)
    return
  }
  if (context.electronPlatformName !== process.platform)
    throw new Error(
      `Pack the ${context.electronPlatformName} app on ${context.electronPlatformName}: better-sqlite3 is built for the machine that packs.`
    )
  execFileSync(process.execPath, [join(root, 'electron/tools/electron-native.mjs')], { stdio: 'inherit' })
  copyFileSync(join(root, 'node_modules/.leadline-electron/better_sqlite3.node'), packed)
  const electronVersion =
    context.packager.config.electronVersion ?? require(join(root, 'node_modules/electron/package.json')).version
  const { getAbi } = require('node-abi')
  checkAbi(packed, Number(getAbi(electronVersion, 'electron')), `Electron ${electronVersion}`)
}

module.exports = afterPack
module.exports.default = afterPack
module.exports.moduleAbi = moduleAbi
module.exports.checkAbi = checkAbi
