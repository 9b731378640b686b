// Every page right for its role (issue 14; tests/e2e/crawl_lib.mjs says what is checked): the city's accounts and the three administrators.
import { crawlRoles } from './crawl_lib.mjs'

crawlRoles(['city_org', 'city_rrb', 'sysadmin', 'secadmin', 'auditadmin'])
