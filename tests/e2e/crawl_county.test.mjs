// Every page right for its role (issue 14; tests/e2e/crawl_lib.mjs says what is checked): a county's departments and two townships.
import { crawlRoles } from './crawl_lib.mjs'

crawlRoles(['ruijin_org', 'ruijin_rrb', 'shazhouba_sec', 'shazhouba_dep', 'xianghu_sec'])
