// The user's 待办 (GET /me/todo), shared by the home page and the phone's tab bar badge.
import { reactive } from 'vue'
import { api } from './api.js'

export const todo = reactive({ data: null })

export async function refreshTodo() {
  todo.data = await api.get('/me/todo', null, { silent: true })
  return todo.data
}

export function clearTodo() { todo.data = null }
