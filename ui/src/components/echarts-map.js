// Only the parts of ECharts the 数据大屏 map uses (the map series, its tooltip, the canvas), loaded by
// the 大屏 route alone; vite.config.js keeps them in a chunk of their own so no other page downloads them.
import { use, registerMap, getMap } from 'echarts/core'
import { init } from './echarts-motion.js'
import { MapChart } from 'echarts/charts'
import { TooltipComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

use([MapChart, TooltipComponent, CanvasRenderer])
export { init, registerMap, getMap }
