// 数据大屏 (issue #12 part 5): city_org opens it at a meeting room's 1920×1080 and on a phone (390×844):
// the county map is drawn (a canvas), the counties are listed by name with no region code, the time of
// the data is the server's; a click on 瑞金市 opens its townships (as bars: there are no township
// boundaries), and 返回全市 comes back. Screenshots go to tests/e2e/shots/screen-*.png (git-ignored;
// the README's copies in docs/shots are refreshed by hand, so a test run never dirties the tree).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { BASE, PHONE, SHOTS, launch, newPage, login, settle, errorsShown, closeAll, watchdog } from './helpers.mjs'

const MEETING_ROOM = { width: 1920, height: 1080 }

watchdog(300000)
let browser
before(async () => { browser = await launch() })
after(async () => { await closeAll(browser) })

async function docShot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: path.join(SHOTS, name + '.png'), fullPage: name.includes('phone') })
}

for (const [name, viewport] of [['1920', MEETING_ROOM], ['phone', PHONE]]) {
  test(`city_org opens 数据大屏 at ${viewport.width}×${viewport.height}, drills into 瑞金市 and back`, { timeout: 150000 }, async () => {
    const page = await newPage(browser, viewport)
    await login(page, 'city_org')
    await page.goto(BASE + '/#/screen')
    const list = page.locator('[data-test="screen-list"]')
    await list.locator('[data-test="screen-row"]').first().waitFor()
    await page.locator('[data-test="screen-map"] canvas').waitFor()
    await settle(page)
    await page.waitForTimeout(800) // the map's first frame
    assert.equal(await list.locator('[data-test="screen-row"]').count(), 18, 'the 18 counties listed')
    const text = await list.innerText()
    assert.match(text, /瑞金市/)
    assert.match(text, /章贡区/)
    assert.doesNotMatch(await page.locator('[data-test="screen-page"]').innerText(), /\d{12}|3607\d\d/, 'no region code shown')
    assert.match(await page.locator('[data-test="screen-title"]').innerText(), /赣州市/)
    // the server's time (tests run at 2026-06-10T10:00+08:00)
    assert.match(await page.locator('[data-test="screen-asof"]').innerText(), /数据时间：2026年6月10日 10:\d\d/)
    for (const k of ['on_duty', 'duties', 'cases', 'visits']) {
      assert.match(await page.locator(`[data-test="screen-total-${k}"]`).innerText(), /\d/, k)
    }
    const box = await page.locator('[data-test="screen-map"] canvas').first().boundingBox()
    assert.ok(box && box.width > 300 && box.height > 300, `a readable map: ${JSON.stringify(box)}`)
    if (name === 'phone') {
      // the map stacks above the list, and nothing runs off the screen sideways
      const listBox = await list.boundingBox()
      assert.ok(listBox.y >= box.y + box.height - 1, 'the list below the map')
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      assert.ok(overflow <= 1, `no sideways scroll (${overflow}px)`)
    }
    assert.deepEqual(await errorsShown(page), [])
    await docShot(page, `screen-${name}`)

    // the visits measure recolours the list (same places, another figure)
    await page.locator('[data-test="screen-total-visits"]').click()
    await page.waitForFunction(() => /走访覆盖率/.test(document.querySelector('.list-head')?.textContent || ''))

    // drill into 瑞金市 from the list: its townships, as bars
    await list.locator('[data-test="screen-row"]', { hasText: '瑞金市' }).click()
    await page.locator('[data-test="screen-back"]').waitFor()
    await page.locator('[data-test="screen-bars"]').waitFor()
    await page.waitForFunction(() => /瑞金市驻村帮扶数据大屏/.test(document.querySelector('[data-test="screen-title"]')?.textContent || ''))
    await settle(page)
    assert.match(await list.innerText(), /沙洲坝镇/)
    assert.equal(await page.locator('[data-test="screen-map"]').count(), 0, 'no township map')
    assert.match(await page.locator('[data-test="screen-bars"]').innerText(), /乡镇边界暂无/)
    if (name === '1920') await docShot(page, 'screen-ruijin-1920')

    await page.locator('[data-test="screen-back"]').click()
    await page.locator('[data-test="screen-map"] canvas').waitFor()
    await page.waitForFunction(() => /赣州市/.test(document.querySelector('[data-test="screen-title"]')?.textContent || ''))
    assert.equal(await list.locator('[data-test="screen-row"]').count(), 18)
    assert.deepEqual(await errorsShown(page), [])
    assert.deepEqual(page.problems, [], 'no console errors')
    await page.context().close()
  })
}

test('the map is drawn from the boundaries zhucun serves itself, and the county official opens their county', { timeout: 90000 }, async () => {
  const page = await newPage(browser, MEETING_ROOM)
  const outside = []
  page.on('request', r => { if (!r.url().startsWith(BASE)) outside.push(r.url()) })
  await login(page, 'ruijin_org')
  await page.goto(BASE + '/#/screen')
  await page.locator('[data-test="screen-list"] [data-test="screen-row"]').first().waitFor()
  await settle(page)
  assert.match(await page.locator('[data-test="screen-title"]').innerText(), /瑞金市/)
  assert.match(await page.locator('[data-test="screen-list"]').innerText(), /沙洲坝镇/)
  assert.equal(await page.locator('[data-test="screen-back"]').count(), 0, 'the county is the user\'s own: nothing to go back to')
  const geo = await page.request.get(BASE + '/geo/ganzhou.json')
  assert.equal(geo.status(), 200)
  const json = await geo.json()
  assert.equal(json.features.length, 18)
  const names = json.features.map(f => f.properties.name)
  for (const n of ['赣县区', '龙南市', '南康区', '瑞金市']) assert.ok(names.includes(n), n)
  assert.deepEqual(outside, [], 'no request leaves zhucun')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
