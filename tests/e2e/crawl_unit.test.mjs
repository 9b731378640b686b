// Every page right for its role (issue 14; tests/e2e/crawl_lib.mjs says what is checked): a sending unit's accounts and a cadre.
import { crawlRoles } from './crawl_lib.mjs'

crawlRoles(['unit_leader1', 'unit_deputy1', 'unit_hr1', 'cadre1'])
