// 制度依据 (GET /api/v1/policy/basis): the notice's sentences part by part, and the parameters in
// words. Fetched once per page load and shared by the 制度依据 page and every <ClauseRef>.
import { reactive } from 'vue'
import { api } from './api.js'

export const basis = reactive({ loaded: false, doc: null, byId: {} })
let promise = null

export function loadBasis() {
  if (!promise) {
    promise = api.get('/policy/basis', null, { silent: true })
      .then(d => {
        const byId = {}
        for (const part of d.parts || []) for (const c of part.clauses || []) byId[c.id] = { ...c, part: part.part, partTitle: part.title }
        Object.assign(basis, { loaded: true, doc: d, byId })
        return d
      })
      .catch(e => { promise = null; throw e })
  }
  return promise
}

// The clause of an id as written on a page: "1.6" → 1.6; "1.3" (no letter) → 1.3a; "2.2-5.7" → 2.2a.
export function clauseOf(id) {
  const first = String(id || '').split(/[-–、,]/)[0].trim()
  return basis.byId[first] || basis.byId[first + 'a'] || null
}
