// A server-paginated list (docs/API.md "Lists"): filters + page/page_size → {items,total}.
import { reactive, ref, computed } from 'vue'
import { api, apiUrl } from './api.js'

export function useList(path, initialFilters = {}, pageSize = 20) {
  const filters = reactive({ ...initialFilters })
  const rows = ref([])
  const total = ref(0)
  const page = ref(1)
  const size = ref(pageSize)
  const loading = ref(false)
  const error = ref('')
  let seq = 0

  function params() {
    return { ...filters, page: page.value, page_size: size.value }
  }

  async function load() {
    const my = ++seq
    loading.value = true
    error.value = ''
    try {
      const r = await api.get(path, params())
      if (my !== seq) return
      rows.value = (r && r.items) || []
      total.value = (r && r.total) || 0
    } catch (e) {
      if (my !== seq) return
      rows.value = []
      total.value = 0
      error.value = e.message
    } finally {
      if (my === seq) loading.value = false
    }
  }

  function search() { page.value = 1; return load() }

  // Same rows, all pages, as an Excel workbook.
  const exportUrl = computed(() => {
    const p = {}
    for (const [k, v] of Object.entries(filters)) p[k] = v
    p.format = 'xlsx'
    return apiUrl(path, p)
  })

  return { filters, rows, total, page, size, loading, error, load, search, exportUrl }
}
