// Only the parts of ECharts the UI uses, so the chunk stays small.
import { use } from 'echarts/core'
import { init } from './echarts-motion.js'
import { BarChart } from 'echarts/charts'
import { GridComponent, TooltipComponent, LegendComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

use([BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer])
export { init }
