// The unread count of 消息 (GET /notifications/unread): the header's badge, refreshed on each page
// change and every minute, and by the 消息 page when it marks messages read.
import { reactive } from 'vue'
import { api } from './api.js'

export const inbox = reactive({ unread: 0 })

export async function refreshUnread() {
  try { inbox.unread = (await api.get('/notifications/unread', null, { silent: true })).unread } catch (e) { /* the badge waits for the next try */ }
  return inbox.unread
}

export function setUnread(n) { inbox.unread = n }
