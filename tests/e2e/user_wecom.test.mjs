// 企业微信账号 on the 账号 page (issue 13): the system administrator sets an account's WeCom userid in the
// edit dialog — the one 企业微信 application messages go to — on a desk and on a phone. A userid with
// characters WeCom does not allow is refused in the form, as the API refuses it, and nothing is saved;
// a good one is saved, shown in the list and read back through the API; clearing it stores none.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, DESKTOP, PHONE, launch, newPage, login, settle, shot, errorsShown, closeAll, watchdog } from './helpers.mjs'
import { api, as, createUser } from '../api/lib.mjs'

watchdog(300000)
let browser, sys
before(async () => { browser = await launch(); sys = await as('sysadmin') })
after(async () => { await closeAll(browser) })

const stored = async (u) => {
  const r = await api('GET', `/api/v1/users?q=${encodeURIComponent(u.username)}`, { session: sys })
  assert.equal(r.status, 200, r.text)
  const row = r.body.items.find((x) => x.id === u.id)
  assert.ok(row, `${u.username} listed`)
  return row.wecom_userid
}

async function openEdit(page, username) {
  await page.goto(BASE + '/#/users')
  await settle(page)
  await page.locator('input[data-test="users-q"], [data-test="users-q"] input').first().fill(username)
  await page.locator('[data-test="users-search"]').click()
  await settle(page)
  await page.locator('[data-test="users-edit"]:visible').first().click()
  const dialog = page.locator('[data-test="users-edit-dialog"]')
  await dialog.waitFor({ state: 'visible' })
  assert.equal((await dialog.locator('[data-test="user-edit-username"]').innerText()).trim(), username)
  return dialog
}

async function save(page, dialog) {
  await dialog.locator('[data-test="user-edit-save"]').click()
  await dialog.waitFor({ state: 'hidden' })
  await settle(page)
}

for (const [width, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`the system administrator sets 企业微信账号 in the edit dialog (${width})`, { timeout: 240000 }, async () => {
    const u = await createUser({ display_name: '企微测试' }, { changePassword: false })
    assert.equal(await stored(u), null)
    const page = await newPage(browser, viewport)
    await login(page, 'sysadmin')
    let dialog = await openEdit(page, u.username)
    assert.match(await dialog.innerText(), /企业微信账号/)
    const field = dialog.locator('input[data-test="user-edit-wecom"], [data-test="user-edit-wecom"] input').first()
    await field.fill('张三 zhang')
    await dialog.locator('[data-test="user-edit-save"]').click()
    await dialog.locator('.el-form-item__error', { hasText: '只能由字母、数字和“_-.@”组成' }).waitFor()
    assert.ok(await dialog.isVisible(), 'the dialog stays open with the reason')
    assert.equal(await stored(u), null, 'nothing saved')
    await shot(page, `user-wecom-refused-${width}`)
    const wecom = `Zhang.San_${width}@ganzhou`
    await field.fill(wecom)
    await shot(page, `user-wecom-${width}`)
    await save(page, dialog)
    assert.equal(await stored(u), wecom, 'read back through the API')
    assert.match(await page.locator('[data-test="users-table"]').innerText(), new RegExp(wecom.replace(/\./g, '\\.')))
    await shot(page, `user-wecom-list-${width}`)
    // the dialog opens with what is stored; clearing it stores none
    dialog = await openEdit(page, u.username)
    assert.equal(await dialog.locator('input[data-test="user-edit-wecom"], [data-test="user-edit-wecom"] input').first().inputValue(), wecom)
    await dialog.locator('input[data-test="user-edit-wecom"], [data-test="user-edit-wecom"] input').first().fill('')
    await save(page, dialog)
    assert.equal(await stored(u), null, 'cleared')
    assert.deepEqual(await errorsShown(page), [])
    assert.deepEqual(page.problems, [])
    await page.context().close()
  })
}
