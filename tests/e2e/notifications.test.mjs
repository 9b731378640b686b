// 消息 (issue 13) in the browser: a leave asked for by cadre1 lights the bell of 沙洲坝镇's secretary
// with the unread count from GET /notifications/unread; the 消息 page lists it; opening it marks it
// read, goes to 请销假 and the count drops by one. Screenshots at 1440 and 390 wide.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, PHONE, launch, newPage, login, settle, shot, errorsShown, closeAll, watchdog } from './helpers.mjs'
import { api, as } from '../api/lib.mjs'
import { today } from '../clock.mjs'

watchdog(300000)
let browser
before(async () => { browser = await launch() })
after(async () => { await closeAll(browser) })

const unreadOf = async (page) => {
  const r = await page.request.get(`${BASE}/api/v1/notifications/unread`)
  assert.equal(r.status(), 200)
  return (await r.json()).unread
}

// Other tests of this run ask cadre1's leaves on days of their own choosing (daily.test picks one at
// random): a day already taken is answered 409 overlap, and the test moves on to the next free day.
async function askLeave(offset) {
  const cadre = await as('cadre1')
  for (let d = offset; d < offset + 40; d += 2) {
    const r = await api('POST', '/api/v1/leaves', { session: cadre, base: BASE,
      body: { type: 'personal', reason: '家中有事', start_date: today(d), end_date: today(d) } })
    if (r.status === 409 && r.body?.error?.code === 'overlap') continue
    assert.equal(r.status, 201, r.text)
    return r.body
  }
  assert.fail('no free day for a leave in 40 days')
}

for (const [name, viewport] of [['desktop', { width: 1440, height: 900 }], ['phone', PHONE]]) {
  test(`the bell, the 消息 page and mark read (${name})`, { timeout: 240000 }, async () => {
    const leave = await askLeave(name === 'desktop' ? 230 : 231)
    const page = await newPage(browser, viewport)
    await login(page, 'shazhouba_sec')
    await settle(page)
    const unread = await unreadOf(page)
    assert.ok(unread >= 1)
    const badge = page.locator('[data-test="notify-badge"] .el-badge__content')
    await badge.waitFor({ state: 'visible' })
    assert.equal((await badge.innerText()).trim(), unread > 99 ? '99+' : String(unread))
    await page.locator('[data-test="notify-bell"]').click()
    await page.locator('[data-test="notifications-page"]').waitFor()
    await settle(page)
    const item = page.locator('[data-test="notification"]', { hasText: `申请事假 1 天（${leave.start_date}）` })
    await item.first().waitFor()
    assert.match(await item.first().innerText(), /请假待审批/)
    await shot(page, `notifications-${name}`)
    if (name === 'desktop') {
      // 接收设置: per kind a switch for the work groups, 短信 and 企业微信, all on by default
      await page.locator('[data-test="notifications-prefs"]').click()
      await page.locator('[data-test="pref-leave_pending"]').waitFor()
      const kinds = await page.locator('[data-test="prefs-dialog"] .pref').count()
      assert.ok(kinds >= 5, `${kinds} kinds`)
      assert.equal(await page.locator('[data-test="prefs-dialog"] .el-switch.is-checked').count(), kinds * 3)
      await page.locator('[data-test="pref-sms-leave_decided"]').waitFor()
      await page.locator('[data-test="pref-wecom-leave_decided"]').waitFor()
      // 立即 / 每日汇总 per kind: choose the digest, save, and find it chosen again; then back to 立即
      const digest = page.locator('[data-test="pref-digest-leave_pending"]')
      assert.match(await digest.locator('.el-radio-button.is-active').innerText(), /立即/)
      await shot(page, 'notifications-prefs-desktop')
      await digest.getByText('每日汇总').click()
      await page.locator('[data-test="prefs-save"]').click()
      await page.locator('[data-test="pref-leave_pending"]').waitFor({ state: 'hidden' })
      await page.locator('[data-test="notifications-prefs"]').click()
      await digest.locator('.el-radio-button.is-active', { hasText: '每日汇总' }).waitFor()
      await digest.getByText('立即').click()
      await page.locator('[data-test="prefs-save"]').click()
      await page.locator('[data-test="pref-leave_pending"]').waitFor({ state: 'hidden' })
    }
    await item.first().click()
    await page.waitForURL(/#\/leaves/)
    await settle(page)
    assert.equal(await unreadOf(page), unread - 1)
    if (unread - 1 > 0) assert.equal((await badge.innerText()).trim(), String(unread - 1))
    else await badge.waitFor({ state: 'hidden' })
    assert.deepEqual(await errorsShown(page), [])
    assert.deepEqual(page.problems, [])
    await page.context().close()
  })
}

test('通知渠道: the system administrator\'s page loads with its three tabs', { timeout: 120000 }, async () => {
  const page = await newPage(browser, { width: 1440, height: 900 })
  await login(page, 'sysadmin')
  await page.locator('[data-test="menu"] [data-test="menu-channels"]').click()
  await page.locator('[data-test="channels-page"]').waitFor()
  await settle(page)
  // the two channels that reach one person: their own fields
  await page.locator('[data-test="channel-add"]').click()
  await page.locator('[data-test="channel-kind-sms"]').click()
  await page.locator('[data-test="channel-template"]').waitFor()
  assert.match(await page.locator('[data-test="channel-template"]').inputValue(), /\{phone\}.*\{text\}/)
  await page.locator('[data-test="channel-kind-wecom-app"]').click()
  await page.locator('[data-test="channel-corpid"]').waitFor()
  await page.locator('[data-test="channel-agentid"]').waitFor()
  await shot(page, 'channels-wecom-app-desktop')
  await page.keyboard.press('Escape')
  await page.locator('[data-test="channel-corpid"]').waitFor({ state: 'hidden' })
  await page.getByRole('tab', { name: /发送失败/ }).click()
  await page.locator('[data-test="dead-letters"]').waitFor()
  await settle(page)
  await page.waitForTimeout(400) // the tab's underline slides
  await shot(page, 'channels-desktop')
  // 发送参数: the digest time and the limits
  await page.getByRole('tab', { name: '发送参数' }).click()
  const field = (name) => page.locator(`input[data-test="${name}"], [data-test="${name}"] input`).first()
  await field('digest-time').waitFor()
  assert.equal(await field('digest-time').inputValue(), '08:00')
  assert.equal(await field('channel-limit').inputValue(), '0')
  await page.waitForTimeout(400)
  await shot(page, 'channels-settings-desktop')
  assert.deepEqual(await errorsShown(page), [])
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
