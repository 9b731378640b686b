// Hash routing (#/regions ...): the C server serves index.html at / and needs no SPA fallback.
import { createRouter, createWebHashHistory, START_LOCATION } from 'vue-router'
import { session, loadSession } from './session.js'

import Login from './views/Login.vue'

const Layout = () => import('./views/Layout.vue')

export const MENU = [
  { key: 'home', path: '/', title: '首页', icon: 'HomeFilled' },
  { key: 'checkin', path: '/checkin', title: '我的驻村', icon: 'Place' },
  { key: 'screen', path: '/screen', title: '数据大屏', icon: 'Monitor' },
  { key: 'board', path: '/board', title: '今日在岗', icon: 'Calendar' },
  { key: 'leaves', path: '/leaves', title: '请销假', icon: 'Memo' },
  { key: 'reports', path: '/reports', title: '工作报告', icon: 'Notebook' },
  { key: 'regions', path: '/regions', title: '区划', icon: 'Location' },
  { key: 'units', path: '/units', title: '派出单位', icon: 'OfficeBuilding' },
  { key: 'users', path: '/users', title: '账号', icon: 'User' },
  { key: 'cadres', path: '/cadres', title: '驻村干部', icon: 'Avatar' },
  { key: 'candidates', path: '/candidates', title: '资格审查', icon: 'Checked' },
  { key: 'assignments', path: '/assignments', title: '选派管理', icon: 'Tickets' },
  { key: 'inbox', path: '/inbox', title: '审批待办', icon: 'Stamp' },
  { key: 'coverage', path: '/coverage', title: '覆盖与稳定', icon: 'DataAnalysis' },
  { key: 'analysis', path: '/analysis', title: '全覆盖分析', icon: 'PieChart' },
  { key: 'presence', path: '/presence', title: '在村情况', icon: 'Clock' },
  { key: 'discipline', path: '/discipline', title: '纪律与提醒', icon: 'Bell' },
  { key: 'scores', path: '/scores', title: '考评计分', icon: 'Odometer' },
  { key: 'compliance', path: '/compliance', title: '履职监督', icon: 'DataBoard' },
  { key: 'supervision', path: '/supervision', title: '督导记录', icon: 'EditPen' },
  { key: 'funds', path: '/funds', title: '经费保障', icon: 'Wallet' },
  { key: 'allowances', path: '/allowances', title: '补助核算', icon: 'Money' },
  { key: 'training', path: '/training', title: '培训管理', icon: 'School' },
  { key: 'commendations', path: '/commendations', title: '表彰激励', icon: 'Medal' },
  { key: 'visits', path: '/visits', title: '入户走访', icon: 'House' },
  { key: 'villages', path: '/villages', title: '村情', icon: 'MapLocation' },
  { key: 'cases', path: '/cases', title: '监测帮扶', icon: 'FirstAidKit' },
  { key: 'exchange', path: '/exchange', title: '数据交换', icon: 'Switch' },
  { key: 'village_work', path: '/village-work', title: '驻村工作', icon: 'Flag' },
  { key: 'plans', path: '/plans', title: '帮扶计划', icon: 'List' },
  { key: 'basis', path: '/basis', title: '制度依据', icon: 'Collection' },
  { key: 'evaluations', path: '/evaluations', title: '干部考核', icon: 'Trophy' },
  { key: 'upward_reports', path: '/upward-reports', title: '上报材料', icon: 'Promotion' },
  { key: 'policy', path: '/policy', title: '政策参数', icon: 'Reading' },
  { key: 'channels', path: '/channels', title: '通知渠道', icon: 'Bell' },
  { key: 'webhooks', path: '/webhooks', title: '数据推送', icon: 'Connection' },
  { key: 'api_tokens', path: '/api-tokens', title: '接口令牌', icon: 'Key' },
  { key: 'audit', path: '/audit', title: '审计日志', icon: 'Document' }
]

// The side menu in groups that follow the notice's sections, so that thirty entries read as six
// short lists. Each user sees only the entries the server lists in `menu`; an empty group is not
// shown, and a key missing here falls into the last group.
export const MENU_GROUPS = [
  { title: '', keys: ['home', 'screen', 'checkin', 'visits', 'basis'] },
  { title: '选派调整', keys: ['cadres', 'candidates', 'assignments', 'inbox', 'coverage'] },
  { title: '日常管理', keys: ['board', 'leaves', 'reports', 'presence', 'analysis', 'discipline', 'scores'] },
  { title: '履职保障', keys: ['compliance', 'supervision', 'funds', 'allowances', 'training', 'evaluations', 'commendations', 'upward_reports'] },
  { title: '帮扶成效', keys: ['villages', 'cases', 'village_work', 'plans', 'exchange'] },
  { title: '基础与系统', keys: ['regions', 'units', 'users', 'channels', 'webhooks', 'api_tokens', 'policy', 'audit'] }
]

const routes = [
  // the login page comes with the app's first file (it is small and plain): on a weak signal the form
  // shows without waiting for another round trip (issue 14)
  { path: '/login', name: 'login', component: Login, meta: { public: true, title: '登录' } },
  { path: '/evaluations/:id(\\d+)/print', name: 'evaluation_form', component: () => import('./views/EvaluationForm.vue'), meta: { title: '考核登记表' } },
  { path: '/password', name: 'password', component: () => import('./views/ChangePassword.vue'), meta: { title: '修改密码' } },
  { path: '/security', name: 'security', component: () => import('./views/SecondFactor.vue'), meta: { title: '两步验证' } },
  // printed forms: an A4 page each, outside the layout (PrintSheet)
  { path: '/print/appointment/:id', name: 'print-appointment', component: () => import('./views/print/PrintAppointment.vue'), meta: { title: '选派（调整）审批表' } },
  { path: '/print/handover/:id', name: 'print-handover', component: () => import('./views/print/PrintHandover.vue'), meta: { title: '交接清单' } },
  { path: '/print/allowance/:id', name: 'print-allowance', component: () => import('./views/print/PrintAllowance.vue'), meta: { title: '补助发放表' } },
  { path: '/print/leave/:id', name: 'print-leave', component: () => import('./views/print/PrintLeave.vue'), meta: { title: '请假审批单' } },
  { path: '/print/upward-report/:id', name: 'print-upward-report', component: () => import('./views/print/PrintUpwardReport.vue'), meta: { title: '上报材料' } },
  {
    path: '/',
    component: Layout,
    children: [
      { path: '', name: 'home', component: () => import('./views/Home.vue'), meta: { menu: 'home', title: '首页' } },
      { path: 'notifications', name: 'notifications', component: () => import('./views/Notifications.vue'), meta: { menu: 'home', title: '消息' } },
      { path: 'channels', name: 'channels', component: () => import('./views/Channels.vue'), meta: { menu: 'channels', title: '通知渠道' } },
      { path: 'webhooks', name: 'webhooks', component: () => import('./views/Webhooks.vue'), meta: { menu: 'webhooks', title: '数据推送' } },
      { path: 'api-tokens', name: 'api_tokens', component: () => import('./views/ApiTokens.vue'), meta: { menu: 'api_tokens', title: '接口令牌' } },
      { path: 'todo', name: 'todo', component: () => import('./views/Todo.vue'), meta: { menu: 'home', title: '待办' } },
      { path: 'regions', name: 'regions', component: () => import('./views/Regions.vue'), meta: { menu: 'regions', title: '区划' } },
      { path: 'units', name: 'units', component: () => import('./views/Units.vue'), meta: { menu: 'units', title: '派出单位' } },
      { path: 'users', name: 'users', component: () => import('./views/Users.vue'), meta: { menu: 'users', title: '账号' } },
      { path: 'cadres', name: 'cadres', component: () => import('./views/Cadres.vue'), meta: { menu: 'cadres', title: '驻村干部' } },
      { path: 'cadres/:id(\\d+)', name: 'cadre', component: () => import('./views/CadreDetail.vue'), meta: { menu: 'cadres', title: '干部详情' } },
      { path: 'candidates', name: 'candidates', component: () => import('./views/Candidates.vue'), meta: { menu: 'candidates', title: '资格审查' } },
      { path: 'assignments', name: 'assignments', component: () => import('./views/Assignments.vue'), meta: { menu: 'assignments', title: '选派管理' } },
      { path: 'assignments/:id(\\d+)', name: 'assignment', component: () => import('./views/AssignmentDetail.vue'), meta: { menu: 'assignments', title: '选派详情' } },
      { path: 'inbox', name: 'inbox', component: () => import('./views/Inbox.vue'), meta: { menu: 'inbox', title: '审批待办' } },
      { path: 'coverage', name: 'coverage', component: () => import('./views/Coverage.vue'), meta: { menu: 'coverage', title: '覆盖与稳定' } },
      { path: 'analysis', name: 'analysis', component: () => import('./views/Analysis.vue'), meta: { menu: 'analysis', title: '全覆盖分析' } },
      { path: 'presence', name: 'presence', component: () => import('./views/Presence.vue'), meta: { menu: 'presence', title: '在村情况' } },
      { path: 'discipline', name: 'discipline', component: () => import('./views/Discipline.vue'), meta: { menu: 'discipline', title: '纪律与提醒' } },
      { path: 'scores', name: 'scores', component: () => import('./views/Scores.vue'), meta: { menu: 'scores', title: '考评计分' } },
      { path: 'compliance', name: 'compliance', component: () => import('./views/Compliance.vue'), meta: { menu: 'compliance', title: '履职监督' } },
      { path: 'supervision', name: 'supervision', component: () => import('./views/Supervision.vue'), meta: { menu: 'supervision', title: '督导记录' } },
      { path: 'funds', name: 'funds', component: () => import('./views/Funds.vue'), meta: { menu: 'funds', title: '经费保障' } },
      { path: 'allowances', name: 'allowances', component: () => import('./views/Allowances.vue'), meta: { menu: 'allowances', title: '补助核算' } },
      { path: 'allowances/:id(\\d+)', name: 'allowance', component: () => import('./views/AllowanceDetail.vue'), meta: { menu: 'allowances', title: '补助核算表' } },
      { path: 'training', name: 'training', component: () => import('./views/Training.vue'), meta: { menu: 'training', title: '培训管理' } },
      { path: 'commendations', name: 'commendations', component: () => import('./views/Commendations.vue'), meta: { menu: 'commendations', title: '表彰激励' } },
      { path: 'villages', name: 'villages', component: () => import('./views/Villages.vue'), meta: { menu: 'villages', title: '村情' } },
      { path: 'villages/:code(\\d{12})', name: 'village', component: () => import('./views/Village.vue'), meta: { menu: 'villages', title: '村情' } },
      { path: 'households/:id(\\d+)', name: 'household', component: () => import('./views/Household.vue'), meta: { menu: 'villages', title: '户情' } },
      { path: 'visits', name: 'visits', component: () => import('./views/Visits.vue'), meta: { menu: 'visits', title: '入户走访' } },
      { path: 'cases', name: 'cases', component: () => import('./views/Cases.vue'), meta: { menu: 'cases', title: '监测帮扶' } },
      { path: 'exchange', name: 'exchange', component: () => import('./views/Exchange.vue'), meta: { menu: 'exchange', title: '数据交换' } },
      { path: 'cases/:id(\\d+)', name: 'case', component: () => import('./views/CaseDetail.vue'), meta: { menu: 'cases', title: '监测案件' } },
      { path: 'village-work', name: 'village_work', component: () => import('./views/VillageWork.vue'), meta: { menu: 'village_work', title: '驻村工作' } },
      { path: 'plans', name: 'plans', component: () => import('./views/Plans.vue'), meta: { menu: 'plans', title: '帮扶计划' } },
      { path: 'plans/:id(\\d+)', name: 'plan', component: () => import('./views/PlanDetail.vue'), meta: { menu: 'plans', title: '帮扶计划' } },
      { path: 'basis', name: 'basis', component: () => import('./views/Basis.vue'), meta: { menu: 'basis', title: '制度依据' } },
      { path: 'evaluations', name: 'evaluations', component: () => import('./views/Evaluations.vue'), meta: { menu: 'evaluations', title: '干部考核' } },
      { path: 'upward-reports', name: 'upward_reports', component: () => import('./views/UpwardReports.vue'), meta: { menu: 'upward_reports', title: '上报材料' } },
      { path: 'upward-reports/:id(\\d+)', name: 'upward_report', component: () => import('./views/UpwardReportDetail.vue'), meta: { menu: 'upward_reports', title: '上报材料' } },
      { path: 'evaluations/:id(\\d+)', name: 'evaluation', component: () => import('./views/EvaluationDetail.vue'), meta: { menu: 'evaluations', title: '干部考核' } },
      { path: 'policy', name: 'policy', component: () => import('./views/Policy.vue'), meta: { menu: 'policy', title: '政策参数' } },
      { path: 'checkin', name: 'checkin', component: () => import('./views/MyVillage.vue'), meta: { menu: 'checkin', title: '我的驻村' } },
      { path: 'screen', name: 'screen', component: () => import('./views/Screen.vue'), meta: { menu: 'screen', title: '数据大屏' } },
      { path: 'board', name: 'board', component: () => import('./views/Board.vue'), meta: { menu: 'board', title: '今日在岗' } },
      { path: 'leaves', name: 'leaves', component: () => import('./views/Leaves.vue'), meta: { menu: 'leaves', title: '请销假' } },
      { path: 'reports', name: 'reports', component: () => import('./views/Reports.vue'), meta: { menu: 'reports', title: '工作报告' } },
      { path: 'audit', name: 'audit', component: () => import('./views/Audit.vue'), meta: { menu: 'audit', title: '审计日志' } }
    ]
  },
  { path: '/:rest(.*)*', redirect: '/' }
]

const router = createRouter({ history: createWebHashHistory(), routes })

// The page a user lands on: a village cadre's phone opens 我的驻村 (the one-tap check-in, light
// to load); others 首页 when the server lists it, else the first menu item.
export function landing() {
  if (session.menu.includes('checkin')) return { name: 'checkin' }
  if (session.menu.includes('home') || session.menu.length === 0) return { name: 'home' }
  const first = MENU.find(m => session.menu.includes(m.key))
  return first ? { path: first.path } : { name: 'home' }
}

router.beforeEach(async (to, from) => {
  // the login page shows at once; when the session probe finds someone logged in, on to their page
  if (!session.loaded && to.meta.public) {
    loadSession().then(() => {
      const u = session.user
      if (u && !u.must_change_password && router.currentRoute.value.meta.public) router.replace(landing())
    }).catch(() => { /* nobody logged in, or no network: the login page it is */ })
    return true
  }
  if (!session.loaded) {
    try { await loadSession() } catch (e) { /* network: show the page, requests will say why */ }
  }
  const user = session.user
  if (to.meta.public) {
    return user && !user.must_change_password && !user.must_enrol_second_factor ? landing() : true
  }
  if (!user) {
    return { name: 'login', query: to.fullPath && to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }
  if (user.must_change_password && to.name !== 'password') return { name: 'password' }
  if (!user.must_change_password && user.must_enrol_second_factor && to.name !== 'security') return { name: 'security' }
  const key = to.meta.menu
  if (key && key !== 'home' && !session.menu.includes(key)) return landing()
  // opening the app (not clicking 首页 in the menu): a cadre starts on 我的驻村
  if (from === START_LOCATION && to.name === 'home' && session.menu.includes('checkin')) return landing()
  if (key === 'home' && !session.menu.includes('home') && session.menu.length > 0) {
    const l = landing()
    if (l.name !== 'home') return l
  }
  return true
})

router.afterEach((to) => {
  document.title = (to.meta.title ? to.meta.title + ' - ' : '') + '赣州市驻村帮扶管理系统'
})

export default router
