// 两步验证 in the browser (issue 17, F2): a county organization department's new account changes its
// password, is then held on 账号安全 · 两步验证 until it enrols — scans the QR code (the secret read off
// the page), types the first code, is shown its ten recovery codes once — and from then on logs in with
// its password and a code, or with a recovery code through 使用恢复码.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, launch, newPage, logout, closeAll, watchdog, shot } from './helpers.mjs'
import { createUser, nextCode, rememberSecret, stepAt, strongPassword, totpCode } from '../api/lib.mjs'

watchdog(300000)
let browser
before(async () => { browser = await launch() })
after(async () => { await closeAll(browser) })

async function passwordStep(page, username, password) {
  await page.goto(BASE + '/#/login')
  await page.locator('[data-test="login-username"]').fill(username)
  await page.locator('[data-test="login-password"]').fill(password)
  await page.locator('[data-test="login-submit"]').click()
}

test('a required account enrols with the QR code, then logs in with a code or a recovery code', { timeout: 240000 }, async () => {
  const u = await createUser({ role: 'org_county', region_code: '360781', display_name: '瑞金市委组织部两步验证' }, { changePassword: false })
  const page = await newPage(browser)
  await passwordStep(page, u.username, u.initial)
  // first the password of its own
  await page.locator('[data-test="pw-old"]').fill(u.initial)
  const own = strongPassword()
  await page.locator('[data-test="pw-new"]').fill(own)
  await page.locator('[data-test="pw-confirm"]').fill(own)
  await page.locator('[data-test="pw-submit"]').click()
  // then nothing but the second factor
  const card = page.locator('[data-test="second-factor"]')
  await card.waitFor({ state: 'visible' })
  assert.match(page.url(), /#\/security/)
  assert.match(await card.innerText(), /须使用两步验证/)
  await page.goto(BASE + '/#/regions')
  await card.waitFor({ state: 'visible' })
  assert.match(page.url(), /#\/security/, 'a required account cannot leave the page before enrolling')
  await page.locator('[data-test="second-factor-start"]').click()
  await page.locator('[data-test="second-factor-qr"] svg').waitFor({ state: 'visible' })
  const secret = (await page.locator('[data-test="second-factor-secret"]').innerText()).replace(/\s+/g, '')
  assert.match(secret, /^[A-Z2-7]{32}$/)
  await shot(page, 'second-factor-enrol')
  rememberSecret(u.username, secret)
  // a wrong code first: none of the three the server accepts now
  const good = [-1, 0, 1].map((d) => totpCode(secret, stepAt() + d))
  await page.locator('[data-test="second-factor-code"]').fill(['000000', '111111', '222222'].find((c) => !good.includes(c)))
  await page.locator('[data-test="second-factor-confirm"]').click()
  await page.locator('.el-form-item__error').waitFor({ state: 'visible' })
  await page.locator('[data-test="second-factor-code"]').fill(nextCode(u.username))
  await page.locator('[data-test="second-factor-confirm"]').click()
  const codes = page.locator('[data-test="recovery-codes"] li')
  await codes.first().waitFor({ state: 'visible' })
  const list = await codes.allInnerTexts()
  assert.equal(list.length, 10)
  for (const c of list) assert.match(c.trim(), /^[a-z2-9]{5}-[a-z2-9]{5}$/)
  await page.locator('[data-test="recovery-done"]').click()
  await page.locator('[data-test="current-user"]').waitFor({ state: 'visible' })
  await logout(page)

  // the next login asks for the code after the password
  await passwordStep(page, u.username, own)
  await page.locator('[data-test="login-second-step"]').waitFor({ state: 'visible' })
  assert.match(await page.locator('[data-test="login-second-step"]').innerText(), /6 位动态验证码/)
  await page.locator('[data-test="login-code"]').fill(nextCode(u.username))
  await page.locator('[data-test="login-code-submit"]').click()
  await page.locator('[data-test="current-user"]').waitFor({ state: 'visible' })
  await logout(page)

  // 使用恢复码: one of the ten, once
  await passwordStep(page, u.username, own)
  await page.locator('[data-test="login-use-recovery"]').click()
  await page.locator('[data-test="login-code"]').fill(list[0].trim())
  await page.locator('[data-test="login-code-submit"]').click()
  await page.locator('[data-test="current-user"]').waitFor({ state: 'visible' })
  await logout(page)
  await passwordStep(page, u.username, own)
  await page.locator('[data-test="login-use-recovery"]').click()
  await page.locator('[data-test="login-code"]').fill(list[0].trim())
  await page.locator('[data-test="login-code-submit"]').click()
  const err = page.locator('[data-test="login-error"]')
  await err.waitFor({ state: 'visible' })
  assert.match(await err.innerText(), /已经用过|不正确/)
  assert.equal(await page.locator('[data-test="current-user"]').count(), 0)
  // the 400 of the wrong first code and the 401 of the spent recovery code were asked for; nothing else
  assert.deepEqual(page.problems.filter(p => !/status of 40[01]/.test(p)), [])
  await page.context().close()
})
